// Live team work on the theme framework page: live.js polls /api/live/themes twice a second while
// the tab is visible and, when what you may see has changed, fetches the page again and hands it
// to the swap below (data-live-swap="themes"). It swaps in the framework's parts by id: the tree,
// the counts' note, the interlinks, the add forms. What you are using is kept:
// - a theme's edit tools that are open, hold focus or a value you typed stay as they are, moved
//   into the new tree (so saving them still sends the version you loaded: a change made meanwhile
//   is refused with the reload message);
// - an add form you are filling in stays, and only its lists of themes are brought up to date;
// - nothing is swapped while you drag a theme, or while a theme whose form you have open is gone.
// Handlers live on the document (themes.js), so nothing needs binding again after a swap.
(function () {
  "use strict";
  const PARTS = ["framework-lead", "count-problem", "theme-map", "add-theme", "links-list", "link-form"];
  const message = document.getElementById("theme-message");

  function say(text) {
    if (message.textContent !== text) { message.textContent = text; message.className = "message"; }
  }

  function changed(field) {
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") return false;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      const first = Array.from(field.options).findIndex((o) => o.defaultSelected);
      return field.selectedIndex !== (first < 0 ? 0 : first);
    }
    return field.value !== field.defaultValue;
  }
  // in use: it holds the focus, an open <details>, or a value the member has typed or chosen
  function inUse(root) {
    return root.contains(document.activeElement) || !!root.querySelector("details[open]")
      || Array.from(root.querySelectorAll("input, textarea, select")).some(changed);
  }

  // a kept form's lists of themes (and codes) follow the new page, keeping what is chosen
  function syncSelects(mine, theirs) {
    theirs.querySelectorAll("select[id]").forEach((next) => {
      const select = mine.querySelector("#" + CSS.escape(next.id));
      if (!select) return;
      const list = (s) => Array.from(s.options, (o) => o.value + "\u0000" + o.text).join("\u0001");
      if (list(select) === list(next)) return;
      const chosen = select.value;
      select.replaceChildren(...Array.from(next.options, (o) => document.importNode(o, true)));
      if (Array.from(select.options).some((o) => o.value === chosen)) select.value = chosen;
    });
  }

  // where the focus is, as (theme, path of child positions), to find it again in the new tree
  function focusKey(tree) {
    const at = document.activeElement;
    if (!at || !tree.contains(at)) return null;
    const node = at.closest("li.node");
    if (!node) return null;
    const path = [];
    for (let el = at; el !== node; el = el.parentElement) {
      path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
    }
    return { id: node.id, path: path, tag: at.tagName };
  }
  function refocus(key) {
    let el = key && document.getElementById(key.id);
    for (const i of key ? key.path : []) el = el && el.children[i];
    if (el && el.tagName === key.tag) el.focus({ preventScroll: true });
  }

  function swapTree(doc) {
    const mine = document.getElementById("framework-tree");
    const theirs = doc.getElementById("framework-tree");
    if (!mine || !theirs) return true;
    if (document.querySelector("li.node.dragging")) return false;  // a drag in progress
    const next = document.importNode(theirs, true);
    const kept = [];
    for (const tools of mine.querySelectorAll("li.node > .node-tools")) {
      if (!inUse(tools)) continue;
      const node = tools.parentElement;
      const there = next.querySelector("#" + CSS.escape(node.id) + " > .node-tools");
      if (!there) {
        say("Others have changed the framework: it will be updated when you close the edit form of “" + node.dataset.path + "”.");
        return false;
      }
      kept.push([tools, there]);
    }
    const active = document.activeElement;
    const caret = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    const key = kept.some(([tools]) => tools.contains(active)) ? null : focusKey(mine);
    kept.forEach(([tools, there]) => { syncSelects(tools, there); there.replaceWith(tools); });
    mine.replaceWith(next);
    if (key) refocus(key);
    else if (active && active !== document.activeElement && next.contains(active)) {
      active.focus({ preventScroll: true });
      if (caret && caret[0] !== null) { try { active.setSelectionRange(caret[0], caret[1]); } catch (err) { /* not a text field */ } }
    }
    return true;
  }

  function swap(doc) {
    if (!swapTree(doc)) return false;
    PARTS.forEach((id) => {
      const mine = document.getElementById(id), theirs = doc.getElementById(id);
      if (!mine || !theirs) return;
      if (inUse(mine)) syncSelects(mine, theirs);
      else mine.replaceWith(document.importNode(theirs, true));
    });
    if (message.textContent.startsWith("Others have changed the framework")) say("");
    return true;
  }

  window.thematicaLive = window.thematicaLive || {};
  window.thematicaLive.themes = swap;
})();

// The code tree (templates/_code_tree.html) on the transcript page and on the codebook page.
//
// Both pages: branches open and close (each tree remembers its open branches for the tab), a
// filter box (press / to reach it) shows the matching codes with their parents, and codes sort
// naturally ("aspect 2" before "aspect 10": naturalCompare below is the rule of
// thematica/natural_sort.py, written again for codes this script adds).
//
// The transcript page (data-mode="code"): clicking a code, dropping the selected words on it, or
// pressing 1-9 for a recently used code applies it through the one event transcript.js listens
// for ("thematica:apply-code"); a name the codebook lacks (typed, or an in-vivo code) is created
// only after a second Enter, under the parent chosen beside it. Recently used codes are kept in
// localStorage per study and member, so they survive the page's reload after a coding.
//
// The codebook page (data-mode="edit", data-can-move): drag a code's handle onto another code,
// or onto "top level", to move it there; "Move…" does the same from the keyboard. A move goes
// through the JSON API with the code's version, so the service records it in the lineage log
// and refuses a move inside itself or from an outdated page, with the reason shown here.
(function () {
  "use strict";
  const boxes = Array.from(document.querySelectorAll(".tree-box"));
  if (!boxes.length) return;

  // -- natural order, as thematica/natural_sort.py ---------------------------------------------

  function runs(name) {
    const parts = name.split(/([0-9]+)/);
    return parts.map((p, i) => (i % 2 ? BigInt(p) : p.toLowerCase()));
  }
  function compareText(a, b) {  // by code points, as Python compares str
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d < 0 ? -1 : 1;
    }
    return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
  }
  function naturalCompare(a, b) {
    const x = runs(a), y = runs(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = i % 2 ? (x[i] < y[i] ? -1 : x[i] > y[i] ? 1 : 0) : compareText(x[i], y[i]);
      if (d) return d;
    }
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    return compareText(a, b);
  }
  window.thematicaNaturalCompare = naturalCompare;  // the tests check it against Python's

  const SEP = " > ";
  const store = (kind) => ({
    get(key) { try { return JSON.parse(window[kind].getItem(key) || "null"); } catch (err) { return null; } },
    set(key, value) { try { window[kind].setItem(key, JSON.stringify(value)); } catch (err) { /* not kept */ } },
  });
  const local = store("localStorage"), session = store("sessionStorage");
  const typing = () => {
    const el = document.activeElement;
    return !!el && (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable);
  };

  // -- one tree: open and close, filter --------------------------------------------------------

  function Tree(box) {
    const filter = box.querySelector(".tree-filter");
    const status = box.querySelector(".tree-status");
    const openKey = "thematica-tree-open:" + window.location.pathname + ":" + box.id;
    const list = () => box.querySelector("ul.tree");
    const nodes = () => Array.from(box.querySelectorAll("ul.tree li.tree-node"));
    const rowOf = (li) => li.querySelector(":scope > .row");
    const twistyOf = (li) => li.querySelector(":scope > .row > .twisty");
    const branchOf = (li) => li.querySelector(":scope > ul.branch");
    let opened = session.get(openKey) || {};  // path -> open, where the user changed it

    function setOpen(li, open, remember) {
      const twisty = twistyOf(li), branch = branchOf(li);
      if (!twisty || !branch) return;
      twisty.setAttribute("aria-expanded", open ? "true" : "false");
      branch.hidden = !open;
      if (remember) { opened[li.dataset.code] = open; session.set(openKey, opened); }
    }
    function restore() {
      nodes().forEach((li) => { if (li.dataset.code in opened) setOpen(li, opened[li.dataset.code], false); });
      if (filter.value.trim()) applyFilter();
    }
    function count(n) { return n + " code" + (n === 1 ? "" : "s"); }

    function applyFilter() {
      const words = filter.value.trim().toLowerCase();
      const all = nodes();
      const none = box.querySelector(".tree-none");
      if (!words) {
        all.forEach((li) => { li.hidden = false; });
        box.classList.remove("filtering");
        const closed = list() && list().dataset.collapsed === "yes";
        all.forEach((li) => setOpen(li, li.dataset.code in opened ? opened[li.dataset.code] : !closed, false));
        none.hidden = true;
        status.textContent = count(all.length) + (closed ? ", branches closed." : ".");
        return;
      }
      box.classList.add("filtering");
      const hits = new Set(all.filter((li) => li.dataset.code.toLowerCase().includes(words)));
      all.forEach((li) => {
        const shown = hits.has(li) || Array.from(li.querySelectorAll("li.tree-node")).some((d) => hits.has(d));
        li.hidden = !shown;
        if (shown && branchOf(li)) setOpen(li, true, false);
      });
      none.hidden = hits.size > 0;
      status.textContent = hits.size + " of " + count(all.length) + " match “" + filter.value.trim() + "”.";
    }

    box.addEventListener("click", (event) => {
      const twisty = event.target.closest(".twisty");
      if (twisty) { const li = twisty.closest("li.tree-node"); setOpen(li, twisty.getAttribute("aria-expanded") !== "true", true); return; }
      if (event.target.closest(".tree-open-all")) { nodes().forEach((li) => setOpen(li, true, true)); return; }
      if (event.target.closest(".tree-close-all")) { nodes().forEach((li) => setOpen(li, false, true)); }
    });
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && filter.value) { event.preventDefault(); filter.value = ""; applyFilter(); }
      if (event.key === "ArrowDown") { event.preventDefault(); move(null, 1); }
    });

    // Up and down arrows move between the codes you can see; left and right close and open.
    function targets() {
      return Array.from(box.querySelectorAll("ul.tree li.tree-node")).filter((li) => li.offsetParent !== null)
        .map((li) => li.querySelector(":scope > .row button.code") || li.querySelector(":scope > .row .actions a") ||
          li.querySelector(":scope > .row .twisty")).filter(Boolean);
    }
    function move(from, delta) {
      const all = targets();
      if (!all.length) return;
      const at = from ? all.indexOf(from) : -1;
      const next = all[Math.max(0, Math.min(all.length - 1, at + delta))];
      next.focus();
      next.scrollIntoView({ block: "nearest" });
    }
    box.addEventListener("keydown", (event) => {
      const li = event.target.closest && event.target.closest("ul.tree li.tree-node");
      if (!li || event.altKey || event.ctrlKey || event.metaKey) return;
      // the arrows of a control inside the tree (the "Move…" picker's list) stay its own
      if (event.target.closest(".move-picker")) return;
      const here = targets().find((t) => rowOf(li).contains(t));
      if (event.key === "ArrowDown") { event.preventDefault(); move(here, 1); }
      else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (targets().indexOf(here) === 0) filter.focus(); else move(here, -1);
      } else if (event.key === "ArrowRight" && branchOf(li)) { event.preventDefault(); setOpen(li, true, true); }
      else if (event.key === "ArrowLeft") {
        event.preventDefault();
        if (branchOf(li) && !branchOf(li).hidden) setOpen(li, false, true);
        else { const up = li.parentElement.closest("li.tree-node"); if (up) { const t = targets().find((x) => rowOf(up).contains(x)); if (t) t.focus(); } }
      }
    });

    // A page swapped in by a live update keeps what the user opened and filtered.
    new MutationObserver(restore).observe(box.querySelector(".tree-scroll"), { childList: true });
    restore();

    function reveal(li) {
      for (let up = li.parentElement.closest("li.tree-node"); up; up = up.parentElement.closest("li.tree-node")) setOpen(up, true, false);
    }
    return { box: box, filter: filter, nodes: nodes, reveal: reveal, restore: restore, list: list };
  }

  const trees = boxes.map(Tree);

  // "/" goes to the filter of the first tree (when not typing in a box, no dialog open).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing() || document.querySelector("dialog[open]")) return;
    event.preventDefault();
    trees[0].filter.focus();
    trees[0].filter.select();
  });

  const coding = trees.find((t) => t.box.dataset.mode === "code");
  if (coding) codeFromTheTree(coding);
  const editing = trees.filter((t) => t.box.hasAttribute("data-can-move"));
  if (editing.length) moveInTheCodebook(editing);

  // -- the transcript page: coding from the tree ------------------------------------------------

  function codeFromTheTree(tree) {
    const box = tree.box;
    const $ = (id) => document.getElementById(id);
    const form = $("code-form"), input = $("code-input"), message = $("message");
    const pending = $("new-code"), pendingSay = $("new-code-say"), parentSelect = $("new-parent");
    const recentBox = box.querySelector(".recent"), recentList = box.querySelector(".recent-list");
    const RECENT = "thematica-recent:" + box.dataset.recentKey;
    const MAX_RECENT = 9;
    const say = (text, error) => { message.textContent = text; message.className = error ? "message error" : "message"; };
    const known = () => new Set(Array.from(document.querySelectorAll("#code-list option"), (o) => o.value));
    const nodeOf = (path) => tree.nodes().find((li) => li.dataset.code === path);
    const tidy = (text) => text.split(">").map((p) => p.split(/\s+/).filter(Boolean).join(" ")).filter(Boolean).join(SEP);

    function applyCode(path, create) {
      document.dispatchEvent(new CustomEvent("thematica:apply-code", { detail: { code: path, create: Boolean(create) } }));
    }

    // recently used codes, newest first; only those still in the codebook are offered
    function recent() {
      const here = new Set(tree.nodes().map((li) => li.dataset.code));
      return (local.get(RECENT) || []).filter((p) => typeof p === "string" && here.has(p)).slice(0, MAX_RECENT);
    }
    function showRecent() {
      const paths = recent();
      recentList.replaceChildren(...paths.map((path, i) => {
        const li = document.createElement("li");
        const row = document.createElement("div");
        row.className = "row"; row.dataset.drop = "code";
        const button = document.createElement("button");
        button.type = "button"; button.className = "code"; button.dataset.code = path;
        button.title = "Apply “" + path + "” to the selected words (key " + (i + 1) + ")";
        const key = document.createElement("kbd"); key.textContent = String(i + 1);
        const source = nodeOf(path).querySelector(":scope > .row .dot");
        const name = document.createElement("span"); name.className = "name"; name.textContent = path;
        button.append(key, " ", source ? source.cloneNode(true) : "", name);
        row.append(button); li.append(row);
        return li;
      }));
      recentBox.hidden = paths.length === 0;
    }
    function used(path) {
      local.set(RECENT, [path].concat((local.get(RECENT) || []).filter((p) => p !== path)).slice(0, 30));
      showRecent();
    }

    // a code stored meanwhile (this page did not reload): count it, and add a new code to the tree
    function counted(path) {
      let li = nodeOf(path);
      if (!li) li = addNode(path);
      const count = li && li.querySelector(":scope > .row .count");
      if (count) count.textContent = String(Number(count.textContent || 0) + 1);
    }
    function addNode(path) {
      const parts = path.split(SEP);
      const parentPath = parts.slice(0, -1).join(SEP);
      const parent = parentPath ? nodeOf(parentPath) || addNode(parentPath) : null;
      let holder = parent ? parent.querySelector(":scope > ul.branch") : tree.list();
      if (!holder) {
        holder = document.createElement("ul"); holder.className = "branch"; parent.append(holder);
        const twisty = document.createElement("button");
        twisty.type = "button"; twisty.className = "twisty"; twisty.setAttribute("aria-expanded", "true");
        twisty.setAttribute("aria-label", parts[parts.length - 2] + ": its sub-codes");
        const none = parent.querySelector(":scope > .row > .twisty-none");
        if (none) none.replaceWith(twisty);
      }
      const li = document.createElement("li");
      li.className = "tree-node"; li.dataset.code = path; li.dataset.name = parts[parts.length - 1];
      const row = document.createElement("div"); row.className = "row"; row.dataset.drop = "code";
      const none = document.createElement("span"); none.className = "twisty-none"; none.setAttribute("aria-hidden", "true");
      const button = document.createElement("button");
      button.type = "button"; button.className = "code"; button.dataset.code = path;
      button.title = "Apply “" + path + "” to the selected words";
      const name = document.createElement("span"); name.className = "name"; name.textContent = li.dataset.name;
      button.append(name);
      const count = document.createElement("span"); count.className = "count"; count.textContent = "0";
      row.append(none, button, count); li.append(row);
      const after = Array.from(holder.children).find((s) => naturalCompare(s.dataset.name || "", li.dataset.name) > 0);
      holder.insertBefore(li, after || null);
      const option = document.createElement("option"); option.value = path;
      $("code-list").append(option);
      const choice = document.createElement("option"); choice.value = path; choice.textContent = path;
      parentSelect.append(choice);
      return li;
    }
    // a coding removed (or an added one undone): one fewer beside its code
    document.addEventListener("thematica:uncoded", (event) => {
      const path = event.detail && event.detail.code;
      const li = typeof path === "string" ? nodeOf(path) : null;
      const count = li && li.querySelector(":scope > .row .count");
      if (count) count.textContent = String(Math.max(0, Number(count.textContent || 0) - 1));
    });
    document.addEventListener("thematica:coded", (event) => {
      const path = event.detail && event.detail.code;
      if (typeof path !== "string") return;
      used(path);
      counted(path);
    });

    // a new code: say so, ask for its parent, and create it only on a second Enter
    let asked = null;  // the name shown as "new code", until it is created or changed
    function askNew(name, parent) {
      asked = name;
      pendingSay.replaceChildren();
      const strong = document.createElement("strong"); strong.textContent = "new code: " + name;
      pendingSay.append(strong, " — press Enter again to create, choose its parent");
      parentSelect.value = parent && Array.from(parentSelect.options).some((o) => o.value === parent) ? parent : "";
      pending.hidden = false;
      say("", false);
    }
    function forget() { asked = null; pending.hidden = true; }
    function confirmNew() {
      const parent = parentSelect.value;
      const path = parent ? parent + SEP + asked : asked;
      forget();
      input.value = path;
      applyCode(path, !known().has(path));
    }
    function submitted() {
      const typed = tidy(input.value);
      if (!typed) { say("Type a code name.", true); input.focus(); return; }
      if (asked !== null && (typed === asked || pending.contains(document.activeElement))) { confirmNew(); return; }
      if (known().has(typed)) { forget(); applyCode(typed, false); return; }
      const parts = typed.split(SEP);
      const parent = parts.slice(0, -1).join(SEP);
      if (parts.length > 1 && !known().has(parent)) {  // a new path: ask for it whole, at the top
        askNew(typed, "");
      } else {
        askNew(parts[parts.length - 1], parent);
      }
      input.value = asked;
      input.focus();
    }
    // This form is the tree's: its submit (and the in-vivo button and key below) come here
    // before transcript.js, which would create any new name at once.
    document.addEventListener("submit", (event) => {
      if (event.target !== form) return;
      event.preventDefault();
      event.stopPropagation();
      submitted();
    }, true);
    parentSelect.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); if (asked !== null) confirmNew(); }
    });
    $("new-cancel").addEventListener("click", () => { forget(); say("No code created.", false); input.focus(); });
    input.addEventListener("input", () => { if (asked !== null && tidy(input.value) !== asked) forget(); });

    // the words last selected in the transcript, for an in-vivo code's name
    let words = "";
    document.addEventListener("selectionchange", () => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount) return;
      const node = sel.getRangeAt(0).commonAncestorContainer;
      const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      if (el && el.closest && el.closest("#transcript")) words = sel.toString();
    });
    function inVivo() {
      const name = words.replace(/\s+/g, " ").replace(/>/g, "›").trim().slice(0, 300);
      if (!name) { say("Select the words to use as the code name.", true); return; }
      askNew(name, "");
      input.value = name;
      input.focus();
    }
    document.addEventListener("click", (event) => {
      if (!event.target.closest || !event.target.closest("#in-vivo")) return;
      event.preventDefault();
      event.stopPropagation();
      inVivo();
    }, true);

    // keys: v (in-vivo, with its parent), 1-9 (recent codes); not while typing or in a dialog
    window.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing() || document.querySelector("dialog[open]")) return;
      if (event.key === "v") { event.preventDefault(); event.stopPropagation(); inVivo(); return; }
      if (/^[1-9]$/.test(event.key)) {
        const path = recent()[Number(event.key) - 1];
        event.preventDefault();
        if (!path) { say("No recently used code has the number " + event.key + " yet.", true); return; }
        applyCode(path, false);
      }
    }, true);

    // click a code, in the tree or among the recent ones
    box.addEventListener("click", (event) => {
      const button = event.target.closest("button.code");
      if (button) applyCode(button.dataset.code, false);
    });

    // drag the selected words onto a code; a drop anywhere else changes nothing and says so
    let carrying = false;
    document.addEventListener("dragstart", (event) => {
      const from = event.target.nodeType === Node.TEXT_NODE ? event.target.parentElement : event.target;
      carrying = !!(from && from.closest && from.closest("#transcript")) && !window.getSelection().isCollapsed;
      if (carrying) { event.dataTransfer.effectAllowed = "copy"; box.classList.add("receiving"); }
    });
    // a drop anywhere but on a code is refused (dropEffect "none"), so it ends here, uncoded
    document.addEventListener("dragend", () => {
      if (!carrying) return;
      carrying = false;
      box.classList.remove("receiving");
      clearOver();
      say("Not coded: drop the selected words on a code in the tree.", true);
    });
    const dropRow = (event) => event.target.closest && event.target.closest(".tree-box .row[data-drop='code']");
    function clearOver() { box.querySelectorAll(".row.over").forEach((r) => r.classList.remove("over")); }
    document.addEventListener("dragover", (event) => {
      if (!carrying) return;
      event.preventDefault();  // no text is dropped into a box on the way
      const row = dropRow(event);
      event.dataTransfer.dropEffect = row ? "copy" : "none";
      clearOver();
      if (row) row.classList.add("over");
    });
    document.addEventListener("drop", (event) => {
      if (!carrying) return;
      event.preventDefault();
      carrying = false;
      box.classList.remove("receiving");
      clearOver();
      const row = dropRow(event);
      const button = row && row.querySelector("button.code");
      if (button) applyCode(button.dataset.code, false);
      else say("Not coded: drop the selected words on a code in the tree.", true);
    });

    showRecent();
    new MutationObserver(showRecent).observe(box.querySelector(".tree-scroll"), { childList: true });
  }

  // -- the codebook page: move a code under another, or to the top level -------------------------

  function moveInTheCodebook(editable) {
    const message = document.getElementById("tree-message");
    const say = (text, error) => { message.textContent = text; message.className = error ? "message error" : "message"; };
    const pathOf = (li) => li.dataset.code;
    const inside = (li, other) => li === other || li.contains(other);

    async function move(li, parent) {
      const name = pathOf(li);
      if (parent && inside(li, parent)) { say("Not moved: “" + name + "” cannot go inside itself.", true); return; }
      const current = li.parentElement.closest("li.tree-node");
      if ((current || null) === (parent || null)) {
        say("“" + name + "” is already " + (parent ? "under “" + pathOf(parent) + "”" : "at the top level") + ".", true);
        return;
      }
      say("Moving “" + name + "”…", false);
      try {
        const response = await fetch("/api/codebook/" + li.dataset.id + "/move", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ parent: parent ? Number(parent.dataset.id) : null, version: li.dataset.version }),
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) { say("Not moved: " + (body.error || response.statusText), true); return; }
        window.location.assign("/codebook?done=" + body.entry + "#c" + li.dataset.id);
      } catch (err) {
        say("Not moved: the workbench did not answer (" + err + ")", true);
      }
    }

    // drag a handle onto another code's row, or onto the box's "top level" strip
    let dragged = null;
    const rowOf = (event) => event.target.closest && event.target.closest(".tree-box[data-can-move] .row[data-drop='parent']");
    const topOf = (event) => event.target.closest && event.target.closest(".tree-box[data-can-move] .drop-top");
    const sameBox = (el) => dragged && el && el.closest(".tree-box") === dragged.closest(".tree-box");
    function clear() { document.querySelectorAll(".tree-box .over").forEach((el) => el.classList.remove("over")); }
    document.addEventListener("dragstart", (event) => {
      const handle = event.target.closest && event.target.closest(".tree-box[data-can-move] .handle");
      if (!handle) return;
      dragged = handle.closest("li.tree-node");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", pathOf(dragged));
      dragged.classList.add("dragging");
      dragged.closest(".tree-box").classList.add("moving");
    });
    document.addEventListener("dragend", () => {
      if (dragged) { dragged.classList.remove("dragging"); dragged.closest(".tree-box").classList.remove("moving"); }
      dragged = null;
      clear();
    });
    document.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();  // every drop comes here, so that a bad one can say why
      const target = rowOf(event) || topOf(event);
      clear();
      if (target && sameBox(target)) { target.classList.add("over"); event.dataTransfer.dropEffect = "move"; }
      else event.dataTransfer.dropEffect = "none";
    });
    document.addEventListener("drop", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const li = dragged, row = rowOf(event), top = topOf(event);
      clear();
      if (top && sameBox(top)) { move(li, null); return; }
      if (row && sameBox(row)) { move(li, row.closest("li.tree-node")); return; }
      if (row) { say("Not moved: codes move within their level (drop it on a code of the same level).", true); return; }
      say("Not moved: drop “" + pathOf(li) + "” on a code, or on the top-level strip.", true);
    });

    // the keyboard: "Move…" opens a choice of parents beside the code
    function picker(li) {
      document.querySelectorAll(".move-picker").forEach((p) => p.remove());
      const box = li.closest(".tree-box");
      const form = document.createElement("form");
      form.className = "move-picker";
      const id = "move-to-" + li.dataset.id;
      const label = document.createElement("label");
      label.htmlFor = id; label.textContent = "Move “" + pathOf(li) + "” under";
      const select = document.createElement("select");
      select.id = id;
      const top = document.createElement("option"); top.value = ""; top.textContent = "(the top level)";
      select.append(top);
      Array.from(box.querySelectorAll("ul.tree li.tree-node")).filter((other) => !inside(li, other)).forEach((other) => {
        const option = document.createElement("option");
        option.value = other.dataset.id; option.textContent = pathOf(other);
        select.append(option);
      });
      const current = li.parentElement.closest("li.tree-node");
      select.value = current ? current.dataset.id : "";
      const go = document.createElement("button"); go.type = "submit"; go.textContent = "Move";
      const cancel = document.createElement("button"); cancel.type = "button"; cancel.className = "secondary"; cancel.textContent = "Cancel";
      form.append(label, select, go, cancel);
      li.querySelector(":scope > .row").after(form);
      const close = () => { form.remove(); const link = li.querySelector(":scope > .row .move-open"); if (link) link.focus(); };
      cancel.addEventListener("click", close);
      form.addEventListener("keydown", (event) => { if (event.key === "Escape") { event.preventDefault(); close(); } });
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const parent = select.value ? box.querySelector("li.tree-node[data-id='" + select.value + "']") : null;
        move(li, parent);
      });
      select.focus();
    }
    document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest(".tree-box[data-can-move] .move-open");
      if (!link) return;
      event.preventDefault();
      picker(link.closest("li.tree-node"));
    });
  }

  // -- the codebook after a move (#c<id>) and its live updates ------------------------------------

  const hash = /^#c(\d+)$/.exec(window.location.hash);
  if (hash) {
    const li = document.getElementById("c" + hash[1]);
    const tree = li && trees.find((t) => t.box.contains(li));
    if (tree) {
      tree.reveal(li);
      li.classList.add("moved");
      const link = li.querySelector(":scope > .row a, :scope > .row button");
      if (link) link.focus({ preventScroll: true });
      li.scrollIntoView({ block: "center" });
    }
  }

  // live.js (the codebook): swap in each tree's list and the lineage log, keeping what is open
  // and filtered; not while you are using a tree (it tries again on the next poll)
  window.thematicaLive = window.thematicaLive || {};
  window.thematicaLive.codeTree = function (doc) {
    if (boxes.some((b) => b.contains(document.activeElement) && document.activeElement !== b.querySelector(".tree-filter"))) return false;
    boxes.forEach((b) => {
      const next = doc.getElementById(b.id);
      const here = b.querySelector("ul.tree"), there = next && next.querySelector("ul.tree");
      if (here && there && here.outerHTML !== there.outerHTML) here.replaceWith(document.importNode(there, true));
    });
    const lineage = document.getElementById("lineage"), theirs = doc.getElementById("lineage");
    if (lineage && theirs && lineage.innerHTML !== theirs.innerHTML) lineage.replaceWith(document.importNode(theirs, true));
    return true;
  };
})();

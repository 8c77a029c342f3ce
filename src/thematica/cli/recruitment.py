"""``thematica recruitment``: the recruitment log, the sample-size plan and the decision to stop.

Changes act in a lead's name (``--by``, ``$THEMATICA_MEMBER`` or the study's only lead): the
log is the lead's. Listings read the study as its administrator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from thematica.cli.codebook import BY, acting
from thematica.cli.output import CliError, format_option, open_study, print_json, read_file

if TYPE_CHECKING:
    from thematica.analysis.stopping import StoppingView
    from thematica.service.recruitment_types import Candidate, Plan, RecruitmentLog

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@click.group()
def recruitment() -> None:
    """The recruitment log: screening criteria, candidates, consent and the stopping rule.

    Candidates are named by a pseudonymous id (C01); contact details stay in the key file,
    never in the study. A candidate who consents becomes a participant with the next label of
    their group.
    """


@recruitment.command("plan")
@click.argument("study")
@click.option("--max", "maximum", type=int, help="The planned maximum sample (interviews).")
@click.option("--rule", type=click.Choice(["guest", "francis"]), help="The stopping rule.")
@click.option("--base", type=int, help="Guest et al. (2020): interviews in the base.")
@click.option("--run", type=int, help="Guest et al. (2020): interviews in a run.")
@click.option("--threshold", type=float, help="Guest et al. (2020): new-information threshold.")
@click.option("--initial", type=int, help="Francis et al. (2010): initial analysis sample.")
@click.option("--stop", type=int, help="Francis et al. (2010): interviews without new codes.")
@click.option("--sampling", help="How participants were selected (COREQ 10), e.g. purposive.")
@click.option("--setting", help="Where the data were collected (COREQ 14).")
@BY
@format_option
def plan(
    study: str,
    maximum: int | None,
    rule: str | None,
    base: int | None,
    run: int | None,
    threshold: float | None,
    initial: int | None,
    stop: int | None,
    sampling: str | None,
    setting: str | None,
    by: str | None,
    fmt: str,
) -> None:
    """Show or set the sample-size plan and the stopping rule (only the options given change).

    \b
    Example:
        thematica recruitment plan msk.thematica --max 12 --rule guest --base 4 --run 2 --threshold 0.05
        thematica recruitment plan msk.thematica
    """
    from thematica.service.recruitment_types import PlanChange

    change = PlanChange(maximum, rule, base, run, threshold, initial, stop, sampling, setting)
    with open_study(study) as service:
        if change != PlanChange():
            current = acting(service, by).recruitment().set_plan(change)
        else:
            current = service.recruitment_plan()
    if fmt == "json":
        print_json(current)
        return
    _show_plan(current)


def _show_plan(current: Plan) -> None:
    click.echo(f"Planned maximum: {current.maximum or 'not recorded'}")
    click.echo(f"Stopping rule: {current.rule.describe()}")
    if current.sampling:
        click.echo(f"Sampling: {current.sampling}")
    if current.setting:
        click.echo(f"Setting: {current.setting}")
    if current.decision:
        d = current.decision
        click.echo(
            f"Stopped: {d.at:%Y-%m-%d} by {d.by} after {d.interviews} interviews ({d.verdict})"
        )


@recruitment.command("criterion")
@click.argument("study")
@click.argument("key")
@click.argument("text")
@click.option("--exclusion", is_flag=True, help="An exclusion criterion (default: inclusion).")
@BY
def criterion(study: str, key: str, text: str, exclusion: bool, by: str | None) -> None:
    """Add a screening criterion KEY (I1, E2, ...) asking TEXT. A candidate meets an inclusion
    criterion with "yes"; a "yes" to an exclusion criterion excludes them.

    \b
    Example:
        thematica recruitment criterion msk.thematica I1 "Registered physiotherapist or OT"
        thematica recruitment criterion msk.thematica E1 "Works only in research" --exclusion
    """
    kind = "exclusion" if exclusion else "inclusion"
    with open_study(study) as service:
        added = acting(service, by).recruitment().add_criterion(key, text, kind=kind)
    click.echo(f"Added {added.kind} criterion {added.key}")


@recruitment.command("add")
@click.argument("study")
@click.argument("ref")
@click.option("--group", default="", help="Their participant group (labels are numbered in it).")
@click.option(
    "--source", default="", help="Where they came from (social media, professional body)."
)
@click.option("--approach", default="", help="How they were approached (email, face-to-face, ...).")
@click.option("--date", "on", type=DATE, help="When they were approached (default: today).")
@BY
def add(
    study: str,
    ref: str,
    group: str,
    source: str,
    approach: str,
    on: dt.datetime | None,
    by: str | None,
) -> None:
    """Add candidate REF (a pseudonymous id such as C01) to the recruitment log.

    \b
    Example:
        thematica recruitment add msk.thematica C01 --group Physiotherapist --source "professional body" --approach email
    """
    from thematica.service.recruitment_types import NewCandidate

    new = NewCandidate(ref, group, source, approach, _day(on))
    with open_study(study) as service:
        acting(service, by).recruitment().add_candidates([new])
    click.echo(f"Added candidate {ref.strip()}")


@recruitment.command("import")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
@BY
def import_candidates(study: str, file: Path, by: str | None) -> None:
    """Add the candidates in FILE (.csv or .xlsx; columns id, group, source, approach,
    approached), all or none.

    \b
    Example:
        thematica recruitment import msk.thematica candidates.csv
    """
    from thematica.importers.candidates import read_candidates

    new = read_candidates(read_file(file), str(file))
    with open_study(study) as service:
        added = acting(service, by).recruitment().add_candidates(new, source=str(file))
    click.echo(f"Added {added} candidate{'' if added == 1 else 's'}")


def _answers(values: tuple[str, ...]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for value in values:
        key, _, answer = value.partition("=")
        word = answer.strip().lower()
        if not key.strip() or word not in ("yes", "no", "y", "n", "true", "false"):
            raise CliError(f"--answer {value!r}: write KEY=yes or KEY=no")
        out[key.strip()] = word in ("yes", "y", "true")
    return out


@recruitment.command("screen")
@click.argument("study")
@click.argument("ref")
@click.option("--answer", "answers", multiple=True, help="KEY=yes or KEY=no, once per criterion.")
@click.option("--all-met", is_flag=True, help="Every criterion met, except the --answer given.")
@click.option("--date", "on", type=DATE, help="When they were screened (default: today).")
@BY
@format_option
def screen(
    study: str,
    ref: str,
    answers: tuple[str, ...],
    all_met: bool,
    on: dt.datetime | None,
    by: str | None,
    fmt: str,
) -> None:
    """Screen candidate REF against every criterion: eligible, or ineligible for the first
    criterion that fails. A candidate is screened once.

    \b
    Example:
        thematica recruitment criterion msk.thematica I1 "Registered physiotherapist or OT"
        thematica recruitment add msk.thematica C01 --group Physiotherapist
        thematica recruitment screen msk.thematica C01 --answer I1=yes
    """
    given = _answers(answers)
    with open_study(study) as service:
        found = acting(service, by).recruitment().screen(ref, given, on=_day(on), all_met=all_met)
    _show(found, fmt)


@recruitment.command("consent")
@click.argument("study")
@click.argument("ref")
@click.option("--sheet", required=True, help="Information-sheet version.")
@click.option("--form", required=True, help="Consent-form version.")
@click.option("--kept-at", required=True, help="Where the signed form is kept (a reference).")
@click.option("--group", default="", help="Their group, if not given when they were added.")
@click.option("--date", "on", type=DATE, help="The date of consent (default: today).")
@BY
@format_option
def consent(
    study: str,
    ref: str,
    sheet: str,
    form: str,
    kept_at: str,
    group: str,
    on: dt.datetime | None,
    by: str | None,
    fmt: str,
) -> None:
    """Record candidate REF's consent; they join the register with the next label of their group.

    \b
    Example:
        thematica recruitment criterion msk.thematica I1 "Registered physiotherapist or OT"
        thematica recruitment add msk.thematica C01 --group Physiotherapist
        thematica recruitment screen msk.thematica C01 --all-met
        thematica recruitment consent msk.thematica C01 --sheet v2 --form v2 --kept-at "Site file A, section 3"
    """
    with open_study(study) as service:
        found = (
            acting(service, by)
            .recruitment()
            .consent(
                ref,
                sheet_version=sheet,
                form_version=form,
                form_location=kept_at,
                on=_day(on),
                group=group,
            )
        )
    _show(found, fmt)


@recruitment.command("status")
@click.argument("study")
@click.argument("ref")
@click.argument("status", type=click.Choice(["declined", "lost", "interviewed", "withdrawn"]))
@click.option("--reason", default="", help="Why (a category: no time, moved away, ...).")
@click.option("--date", "on", type=DATE, help="When (default: today).")
@BY
@format_option
def status(
    study: str,
    ref: str,
    status: str,
    reason: str,
    on: dt.datetime | None,
    by: str | None,
    fmt: str,
) -> None:
    """Set candidate REF's STATUS: declined, lost (to follow-up), interviewed or withdrawn.
    Withdrawn here records it in the log; 'participants withdraw' removes their data.

    \b
    Example:
        thematica recruitment add msk.thematica C02 --group "Occupational therapist"
        thematica recruitment status msk.thematica C02 declined --reason "no time"
    """
    with open_study(study) as service:
        found = (
            acting(service, by).recruitment().set_status(ref, status, on=_day(on), reason=reason)
        )
    _show(found, fmt)


def _show(found: Candidate, fmt: str) -> None:
    if fmt == "json":
        print_json(found)
        return
    from thematica.service.recruitment_types import status_name

    text = f"{found.ref}: {status_name(found.status)}"
    if found.excluded_by:
        text += f" (criterion {found.excluded_by})"
    if found.participant:
        text += f"; participant {found.participant}"
    click.echo(text)


@recruitment.command("list")
@click.argument("study")
@format_option
def list_candidates(study: str, fmt: str) -> None:
    """The recruitment log: every candidate, the criteria and the flow from approached to
    analysed.

    \b
    Example:
        thematica recruitment list msk.thematica --format json
    """
    with open_study(study) as service:
        found = service.recruitment()
    if fmt == "json":
        print_json(found)
        return
    _show_log(found)


def _show_log(found: RecruitmentLog) -> None:
    from rich.table import Table

    from thematica.cli.output import console
    from thematica.service.recruitment_types import status_name

    for c in found.criteria:
        click.echo(f"{c.key} ({c.kind}): {c.text}")
    table = Table(box=None)
    for column in ("Id", "Group", "Source", "Approached", "Status", "Since", "Detail"):
        table.add_column(column)
    for one in found.candidates:
        detail = one.participant or (
            f"criterion {one.excluded_by}" if one.excluded_by else one.reason
        )
        table.add_row(
            one.ref,
            one.group,
            one.source,
            one.approached_on.isoformat(),
            status_name(one.status),
            one.status_on.isoformat(),
            detail or "",
        )
    console().print(table)
    click.echo(
        " -> ".join(f"{s.name} {s.count}" for s in found.flow.stages)
        + (f" ({found.flow.waiting} still in recruitment)" if found.flow.waiting else "")
    )


@recruitment.command("stopping")
@click.argument("study")
@format_option
def stopping(study: str, fmt: str) -> None:
    """Whether the stopping rule says recruitment may stop: interviews done of the maximum, new
    codes per interview, and the verdict.

    \b
    Example:
        thematica recruitment stopping msk.thematica
    """
    with open_study(study) as service:
        view = service.stopping_view()
        decision = service.recruitment_plan().decision
    if fmt == "json":
        data: dict[str, Any] = {"view": view, "decision": decision}
        print_json(data)
        return
    _show_view(view)
    if decision:
        click.echo(f"Stopped on {decision.at:%Y-%m-%d} by {decision.by}: {decision.memo}")


def _show_view(view: StoppingView) -> None:
    of = f" of {view.maximum}" if view.maximum else " (no planned maximum)"
    click.echo(f"Interviews coded: {view.interviews}{of}")
    click.echo(f"Rule: {view.rule.describe()}")
    if view.new:
        click.echo("New codes: " + " ".join(str(n) for n in view.new))
        click.echo("Cumulative: " + " ".join(str(n) for n in view.cumulative))
    click.echo(view.message)


@recruitment.command("stop")
@click.argument("study")
@click.option("--memo", required=True, help="Why recruitment stops (the report cites it).")
@BY
def stop(study: str, memo: str, by: str | None) -> None:
    """Record a lead's decision to stop recruiting, with a memo the report cites.

    \b
    Example:
        thematica recruitment stop msk.thematica --memo "Saturation at 6+2; no new codes since." --by "Rachel Ames"
    """
    with open_study(study) as service:
        decided = acting(service, by).recruitment().record_stop(memo)
    assert decided.decision is not None
    click.echo(
        f"Recruitment stopped by {decided.decision.by} after {decided.decision.interviews} "
        f"interviews: {decided.decision.verdict}"
    )

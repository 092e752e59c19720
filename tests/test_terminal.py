"""The installed command in a real terminal: widths, words kept whole, colour, pipes, usage errors.

Every listing command runs in a pseudo-terminal of 80 and of 200 columns on a store imported
from the bundled examples. No printed line may be wider than the terminal (counted in terminal
cells, escape sequences left out), and no address, code word or timestamp that the command
gives in ``--format json`` may be split across lines: each one is either on one line whole,
shortened with an ellipsis, or not shown at all (no piece of it on the screen).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import termios

import pytest
from conftest import ROOT
from rich.cells import cell_len

# Inputs are named relative to the store's folder, the commands' working folder, so that what the
# screens show (file names in rejects and explain) does not depend on where the checkout lives.
EXAMPLES = sorted(f"examples/{p.name}" for p in (ROOT / "examples").iterdir())
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
TIMESTAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z?\b")
CODE_WORD = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # NOT_CONFIRMED, PREVIOUSLY_BOUNCED
CODE_KEYS = {"reason", "bounce_type", "status", "code", "outcome", "not_sent_reason", "hard_bounce_reason", "action",
             "event", "type", "permissions"}
ID_KEYS = {"email_id", "domain", "user", "name", "month", "file"}  # identifiers: shown whole or shortened
ELLIPSIS = ("…", "...")
BOUNDARY = " │┃|┆┊║\t"


def bouncectl() -> list[str]:
    found = shutil.which("bouncectl")
    return [found] if found else [sys.executable, "-m", "bouncectl"]


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("cwd", env["TEST_FOLDER"])
    return subprocess.run([*bouncectl(), *args], capture_output=True, text=True, env=env, check=False, **kwargs)


def in_terminal(args: list[str], env: dict, columns: int, lines: int = 50) -> tuple[str, int]:
    """Run in a pseudo-terminal of this size: (what the terminal received, exit code)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {**env, "COLUMNS": str(columns), "LINES": str(lines), "TERM": "xterm-256color"}
    process = subprocess.Popen([*bouncectl(), *args], stdin=slave, stdout=slave, stderr=slave, env=env,
                               cwd=env["TEST_FOLDER"], close_fds=True, start_new_session=True)
    os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                process.kill()
                pytest.fail(f"bouncectl {' '.join(args)} printed nothing for 60 s")
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        code = process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n"), code


def plain(screen: str) -> list[str]:
    return ANSI.sub("", screen).split("\n")


# --- the store ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("terminal")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BOUNCECTL_") and k != "NO_COLOR"}
    environment.update(BOUNCECTL_DB=str(folder / "store.db"), COLUMNS="200", HOME=str(folder))
    environment["TEST_FOLDER"] = str(folder)
    shutil.copytree(ROOT / "examples", folder / "examples")
    late = folder / "late-bounces.csv"
    late.write_text("email_id,recipient,event,timestamp\n"
                    "2026-11-newsletter,olivia.brown@example.com,bounce,2026-11-05T10:12:00Z\n"
                    "2026-11-newsletter,not an address,bounce,2026-11-05T10:13:00Z\n"
                    "2026-11-newsletter,paul.king@example.net,bounce,yesterday-ish\n")
    steps = [
        ["import", *EXAMPLES],
        ["import", str(late)],
        ["domains", "add", "news.example.com"],
        ["users", "add", "alice", "--permission", "email"],
        ["unbounce", "jane@example.com", "--as", "alice", "--confirm"],
        ["unbounce", "jane@example.com", "--as", "alice", "--confirm"],  # refused: NOT_BOUNCED, it is eligible now
        ["lists", "create", "dead-example", "--hard-bounce-reason", "userunknown", "--domain", "example.com"],
    ]
    for step in steps:
        done = run(step, environment, cwd=folder)
        assert done.returncode in (0, 1, 3), (step, done.stderr)
    hard = json.loads(run(["contacts", "--status", "hard_bounced", "--format", "json"], environment).stdout)
    environment["TEST_HARD_BOUNCED"] = next(r["email"] for r in hard if r["hard_bounce_reason"] == "userunknown")
    return environment


# Each listing command as the tests run it ({hard}: a hard-bounced contact).
LISTINGS = {
    "bounced": ["bounced", "--email-id", "2026-11-newsletter"],
    "not-sent": ["not-sent", "--email-id", "2026-11-24-product-update"],
    "contacts": ["contacts", "--status", "hard_bounced"],
    "contacts (all, a long table)": ["contacts"],
    "lists show": ["lists", "show", "dead-example"],
    "audit": ["audit"],
    "rejects": ["rejects"],
    "stats": ["stats", "--by", "email"],
    "quota": ["quota"],
    "domains list": ["domains", "list"],
    "users list": ["users", "list"],
    "explain": ["explain", "examples/bounce.eml"],
    "unbounce": ["unbounce", "{hard}", "--as", "alice"],
    "export --csv -": ["export", "--csv", "-"],
}


def listing(name: str, env: dict) -> list[str]:
    return [a.replace("{hard}", env["TEST_HARD_BOUNCED"]) for a in LISTINGS[name]]


# --- what must stay whole -----------------------------------------------------------------------

def tokens_of(value, key: str | None = None) -> set[tuple[str, str]]:
    """(kind, text) of every address, timestamp and code word in a JSON value."""
    found: set[tuple[str, str]] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found |= tokens_of(v, k)
    elif isinstance(value, list):
        for v in value:
            found |= tokens_of(v, key)
    elif isinstance(value, str):
        found |= {("address", m.group(0).strip(".")) for m in ADDRESS.finditer(value)}
        found |= {("timestamp", m.group(0)) for m in TIMESTAMP.finditer(value)}
        found |= {("code", m.group(0)) for m in CODE_WORD.finditer(value)}
        if key in CODE_KEYS and re.fullmatch(r"[A-Za-z][A-Za-z_]{2,}", value):
            found.add(("code", value))
        if key in ID_KEYS and len(value) > 2 and not re.search(r"\s", value):
            found.add(("id", value))
    return found


def json_tokens(args: list[str], env: dict) -> set[tuple[str, str]]:
    if args[0] == "export":
        done = run(["export", "--json", "-"], env)
    else:
        done = run([*args, "--format", "json"], env)
    assert done.returncode in (0, 1), done.stderr
    return tokens_of(json.loads(done.stdout or "[]")) | tokens_of(done.stderr)


WORD = re.compile(r"[^ │┃|┆┊║\t]+")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _lone_days(screen: list[str]) -> dict[str, str]:
    """Each day shown without its time after it (the first line it is on)."""
    lone: dict[str, str] = {}
    for line in screen:
        for day in DAY.finditer(line):
            rest = line[day.end():]
            if rest[:1] in ("T", " ") and (rest[1:3].isdigit() or rest[1:2] in ELLIPSIS) or rest.startswith(ELLIPSIS):
                continue
            if not rest.strip(BOUNDARY) or rest[:1] in BOUNDARY:
                lone.setdefault(day.group(0), line.strip())
    return lone


def _pieces(line: str):
    """Each word of a line without the brackets or quotes before it: the word, its column, and
    whether it ends in an ellipsis (taken off)."""
    for word in WORD.finditer(line):
        piece, at = word.group(0), word.start()
        while piece[:1] in ("<", "(", '"', "'") and len(piece) > 1:
            piece, at = piece[1:], at + 1
        shortened = piece.endswith(ELLIPSIS)
        yield piece.removesuffix("…").removesuffix("..."), at, shortened


def _why(text: str, kind: str, piece: str, at: int, shortened: bool, line: str, below: str, joined: str) -> str | None:
    """Why ``piece``, a start of the token ``text`` on ``line``, shows it unfairly (None: it does not)."""
    shortest = max(4, len(text) // 2 + 1) if kind == "code" else 5
    rest = text[len(piece):][:3]
    if shortened:
        return f"{text}: shortened to {piece}…" if len(piece) < 5 and text not in joined else None
    if len(piece) >= 2 and below[at:at + len(rest)] == rest:
        return f"{text}: split after {piece!r} on: {line.strip()!r}"
    if len(piece) >= shortest and kind != "timestamp" and text not in joined:
        return f"{text}: cut to {piece!r} on: {line.strip()!r}"
    return None


def _days_alone(tokens: set[tuple[str, str]], found: dict[str, str], lone_days: dict[str, str]) -> dict[str, str]:
    """The timestamps not yet found broken whose day is shown without its time."""
    alone = {}
    for kind, text in tokens:
        if kind == "timestamp" and text not in found:
            day = TIMESTAMP.match(text).group(1)
            if day in lone_days:
                alone[text] = f"{text}: the day {day} without its time on: {lone_days[day]!r}"
    return alone


def problems_on(screen: list[str], tokens: set[tuple[str, str]]) -> list[str]:
    """Why each token is not shown fairly on the screen (an empty list: all are).

    Broken: a piece of its start ends a cell and the rest goes on in the line below at the
    same column (split), even if the token is whole somewhere else on the screen; or it is
    nowhere whole and a piece of its start ends a cell with no ellipsis (cut), or is shortened
    to fewer than five characters. Fair: whole on one line, shortened with an ellipsis, or not
    shown at all (that column left out). A timestamp may be written with a space for the
    ``T`` and without seconds or zone, but its day and time stay on one line. A piece that is
    itself one of the tokens is that token, not a cut.
    """
    texts = {text for _kind, text in tokens}
    kinds = {text: kind for kind, text in tokens}
    starts: dict[str, list[str]] = {}
    for text in texts:
        for size in range(1, len(text)):
            starts.setdefault(text[:size], []).append(text)
    joined = "\n".join(screen)

    found: dict[str, str] = {}
    for number, line in enumerate(screen):
        below = screen[number + 1] if number + 1 < len(screen) else ""
        for piece, at, shortened in _pieces(line):
            if piece in texts:
                continue
            for text in starts.get(piece, ()):
                problem = None if text in found else _why(text, kinds[text], piece, at, shortened, line, below, joined)
                if problem:
                    found[text] = problem
    found.update(_days_alone(tokens, found, _lone_days(screen)))
    return [found[text] for text in sorted(found)]


def broken(kind: str, text: str, screen: list[str], others: frozenset = frozenset()) -> str | None:
    """The one token's problem on the screen, or None (``others``: the command's other tokens)."""
    problems = problems_on(screen, {(kind, text)} | {("id", other) for other in others if other != text})
    return next((why for why in problems if why.startswith(text + ":")), None)


def screen_of(name: str, env: dict, columns: int) -> tuple[list[str], list[str]]:
    args = listing(name, env)
    screen, code = in_terminal(args, env, columns)
    assert code in (0, 1), screen
    return args, plain(screen)


# --- the tests ----------------------------------------------------------------------------------

def listing_cases() -> list:
    return [pytest.param(name, columns, id=f"{name}-{columns}") for name in LISTINGS for columns in (80, 200)]


@pytest.mark.parametrize(("name", "columns"), listing_cases())
def test_no_line_is_wider_than_the_terminal(env, name, columns):
    args, screen = screen_of(name, env, columns)
    if args[0] == "export":
        # CSV is data, not a table: its records are never reshaped; each stays one line.
        rows = list(csv.reader(io.StringIO("\n".join(screen).strip("\n"))))
        exported = json.loads(run(["export", "--json", "-"], env).stdout)
        assert len(rows) == len(exported) + 1
        return
    wide = [(cell_len(line), line) for line in screen if cell_len(line) > columns]
    assert not wide, f"{len(wide)} lines wider than {columns} columns, e.g. {wide[0][1]!r}"


@pytest.mark.parametrize(("name", "columns"), listing_cases())
def test_addresses_code_words_and_times_are_never_split(env, name, columns):
    args, screen = screen_of(name, env, columns)
    tokens = json_tokens(args, env)
    assert tokens, "the command shows something on the examples"
    problems = problems_on(screen, tokens)
    assert not problems, f"{len(problems)} of {len(tokens)} split, e.g. " + "; ".join(problems[:3])


def test_the_split_check_sees_a_split_and_allows_an_ellipsis():
    table = ["│ jane@exam │ NOT_CON │ 2026-11-03 │", "│ ple.com   │ FIRMED  │ 09:00      │",
             "Error: jane@example.com: NOT_CONFIRMED at 2026-11-03T09:00:47.000Z"]
    assert broken("address", "jane@example.com", table)
    assert broken("code", "NOT_CONFIRMED", table)
    assert broken("timestamp", "2026-11-03T09:00:47.000Z", table)
    assert broken("code", "NOT_CONFIRMED", ["│ NOT_CON │"])
    ids = frozenset({"2026-11-24-product-update", "2026-11-24-product-update-test"})
    assert broken("id", "2026-11-24-product-update-test", ["│ 2026-11-24-product-update │"], ids) is None
    assert broken("code", "NOT_CONFIRMED", ["│ NO… │"])
    shortened = ["│ jane@exa… │ NOT_CONFIRMED │ 2026-11-03 09:00 │"]
    assert broken("address", "jane@example.com", shortened) is None
    assert broken("code", "NOT_CONFIRMED", shortened) is None
    assert broken("timestamp", "2026-11-03T09:00:47.000Z", shortened) is None
    assert broken("address", "jane@example.com", ["│ other@example.com │"]) is None


# --- colour, pipes ------------------------------------------------------------------------------

COLOUR_PARAMS = re.compile(r"(?:^|;)(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;|$)")


@pytest.mark.parametrize("name", ["bounced", "stats", "contacts", "unbounce", "audit"])
def test_no_colour_with_no_color(env, name):
    screen, code = in_terminal(listing(name, env), {**env, "NO_COLOR": "1"}, 200)
    assert code in (0, 1)
    colours = [m.group(0) for m in SGR.finditer(screen) if COLOUR_PARAMS.search(m.group(1))]
    assert not colours, f"colour sequences with NO_COLOR=1: {colours[:5]!r}"


def test_a_closed_pipe_ends_quietly(env):
    # 2,000 rows, far more than a pipe holds: the writer is still writing when head has gone.
    writer = subprocess.Popen([*bouncectl(), "export", "--csv", "-", "--email-id", "2026-11-newsletter"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    head = subprocess.Popen(["head", "-n", "1"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()  # only head holds the read end now
    first, _ = head.communicate(timeout=60)
    errors = writer.stderr.read()
    writer.stderr.close()
    assert writer.wait(timeout=60) == 0 and errors == b"", errors.decode(errors="replace")
    assert first.startswith(b"recipient,")


# --- usage mistakes -----------------------------------------------------------------------------

USAGE = [
    pytest.param(["import", "--format", "nosuch", str(ROOT / "examples" / "send-log.csv")],
                 ["csv", "ses", "sendgrid", "postfix"], id="import --format nosuch"),
    pytest.param(["lists", "create", "recent", "--bounced-since", "last tuesdayish"], ["30d"],
                 id="bad --bounced-since"),
    pytest.param(["config", "soft_bounce_limit", "many"], ["number"], id="bad config value"),
    pytest.param(["bounced", "--email-id", "2026-11-newsletter", "--no-such-option"], ["--no-such-option"],
                 id="unknown option"),
    pytest.param(["bounced", "--email-id", "2026-11-newsletter", "--type", "nosuch"], ["hard", "soft"],
                 id="--type nosuch"),
    pytest.param(["bounced", "--email-id", "2026-11-newsletter", "--reason", "userunkown"],
                 ["userunknown", "mailboxfull", "hostunknown"], id="mistyped --reason"),
    pytest.param(["contacts", "--status", "hardbounced"], ["hard_bounced", "eligible", "suppressed"],
                 id="mistyped --status"),
]


@pytest.mark.parametrize(("args", "named"), USAGE)
def test_a_usage_mistake_exits_2_and_names_the_accepted_values(env, args, named):
    done = run(args, {**env, "COLUMNS": "80"})
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    missing = [word for word in named if word not in done.stderr]
    assert not missing, f"stderr does not name {missing}: {done.stderr!r}"


# --- newline-delimited JSON ---------------------------------------------------------------------

JSONL = [name for name in LISTINGS if name != "export --csv -"]


@pytest.mark.parametrize("name", JSONL)
def test_jsonl_is_one_object_a_line(env, name):
    args = listing(name, env)
    whole = run([*args, "--format", "json"], env)
    lines = run([*args, "--format", "jsonl"], env)
    # unbounce without --confirm is refused (exit 1, SPEC section 4) and still prints its outcome.
    assert lines.returncode == whole.returncode == (1 if name == "unbounce" else 0), lines.stderr
    expected = json.loads(whole.stdout)
    expected = expected if isinstance(expected, list) else [expected]
    rows = [json.loads(line) for line in lines.stdout.splitlines()]
    assert all(isinstance(row, dict) for row in rows)
    assert rows == expected


# --- the progress bar ---------------------------------------------------------------------------

def big_log(folder) -> str:
    """A send log past the size that gets a progress bar (4 MB), in a folder with a long name."""
    deep = folder / ("a-folder-with-a-rather-long-name-" * 3).rstrip("-") / "and-another-one-below-it"
    deep.mkdir(parents=True)
    log = deep / "november-send-log.csv"
    with log.open("w") as handle:
        handle.write("email_id,recipient,event,timestamp\n")
        for i in range(80_000):
            handle.write(f"big-send,user{i:06d}@example.com,delivered,2026-11-03T09:00:00Z\n")
    return str(log)


def test_the_progress_bar_shows_the_file_name_and_ends_full(env, tmp_path):
    log = big_log(tmp_path)
    screen, code = in_terminal(["--db", str(tmp_path / "big.db"), "import", log], env, 80)
    assert code == 0, screen
    lines = plain(screen)
    frames = [line for line in lines if "importing" in line]
    assert frames, "no progress bar"
    assert all("november-send-log.csv" in line for line in frames), frames[-1]
    assert all(cell_len(line) <= 80 for line in frames), max(frames, key=cell_len)
    figures = [re.search(r"([\d.]+)/([\d.]+) MB", line) for line in frames]
    done = [float(m.group(1)) for m in figures if m]
    assert done and done[-1] == float(figures[-1].group(2)), frames[-1]  # full at the end
    assert done == sorted(done), "the bar went back"


def test_import_reports_its_progress_forward_and_to_the_end(tmp_path):
    from bouncectl.model import ImportOptions
    from bouncectl.store import Store
    from bouncectl.usecases.importing import import_source

    log = big_log(tmp_path)
    seen: list[tuple[int, int]] = []
    store = Store(tmp_path / "store.db")
    try:
        import_source(store, log, ImportOptions(), progress=lambda done, total: seen.append((done, total)))
    finally:
        store.close()
    done = [d for d, _ in seen]
    assert len(seen) > 1 and done == sorted(done)
    assert seen[-1] == (os.path.getsize(log),) * 2


# --- every error has its hint -------------------------------------------------------------------

ERRORS = [
    pytest.param(["lists", "create", " "], id="a list without a name"),
    pytest.param(["--db", ".", "quota"], id="a folder for a store"),
    pytest.param(["unbounce", "--from-file", "no-such-file.txt", "--as", "alice"], id="a missing address file"),
    pytest.param(["bounced", "--email-id", "no-such-email"], id="an unknown email"),
    pytest.param(["import", "no-such-file.csv"], id="a missing input"),
    pytest.param(["config", "soft_bounce_days", "soon"], id="a bad config value"),
]


@pytest.mark.parametrize("args", ERRORS)
def test_every_error_ends_on_a_hint(env, args):
    done = run(args, env)
    assert done.returncode in (1, 2), done
    lines = done.stderr.splitlines()
    errors = [n for n, line in enumerate(lines) if line.startswith("Error: ")]
    assert len(errors) == 1, done.stderr
    assert lines[errors[0] + 1].startswith("hint: ") and len(lines[errors[0] + 1]) > len("hint: "), done.stderr


# --- stderr, pipes, --wide ----------------------------------------------------------------------

def test_messages_to_a_file_are_never_wrapped(env):
    done = run(listing("unbounce", env), {**env, "COLUMNS": "80"})
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    refusal = [line for line in lines if line.startswith("Error: ")]
    assert refusal and refusal[0].endswith("nothing was changed") and len(refusal[0]) > 80, done.stderr
    assert not [line for line in lines if line != line.rstrip()], "trailing spaces"


def test_a_table_in_a_pipe_is_plain_and_whole(env):
    done = run(["bounced", "--email-id", "2026-11-24-product-update"], {**env, "COLUMNS": "80"})
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["recipient", "type", "reason", "bounced_at", "diagnostic"]  # no title
    assert not set("─│┃━┏") & set(done.stdout) and "…" not in done.stdout
    rows = json.loads(run(["bounced", "--email-id", "2026-11-24-product-update", "--format", "json"], env).stdout)
    assert len(lines) == len(rows) + 1
    assert all(row["diagnostic"] in line for row, line in zip(rows, lines[1:]))  # every cell whole
    assert not [line for line in lines if line != line.rstrip()], "trailing spaces"


def test_wide_shows_every_column(env):
    args = ["bounced", "--email-id", "2026-11-24-product-update"]
    narrow, _ = in_terminal(args, env, 200)
    wide, _ = in_terminal([*args, "--wide"], env, 200)
    header = next(line for line in plain(wide) if line.startswith("recipient"))
    assert header.split() == ["recipient", "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic",
                              "bounced_at"]
    assert "smtp_code" not in ANSI.sub("", narrow)


# --- help ---------------------------------------------------------------------------------------

PYTHON_TYPE = re.compile(r"<(?:str|int|float|path|list\[[^>]*\])>|\{[a-z_]+\}")


def every_command(group, path=()):
    import click

    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


def test_help_names_values_not_python_types():
    import typer
    from typer.testing import CliRunner

    from bouncectl.cli import app

    root = typer.main.get_command(app)
    runner = CliRunner()
    for path in [(), *every_command(root)]:
        shown = runner.invoke(app, [*path, "--help"]).output
        assert not PYTHON_TYPE.findall(shown), (path, PYTHON_TYPE.findall(shown))
    shown = runner.invoke(app, ["import", "--help"]).output
    from bouncectl import sources

    assert all(f.name in shown for f in sources.formats())


# --- the layout, as a pure function -------------------------------------------------------------

def test_columns_give_way_in_order():
    from bouncectl.output import FREE_TEXT_MIN, FREE_TEXT_READABLE, fit_widths

    columns = ["recipient", "reason", "bounced_at", "diagnostic"]
    row = ["someone@example.com", "userunknown", "2026-11-03 09:00", "550 5.1.1 " + "x" * 60]
    natural = [19, 11, 16, 70]

    def fit(room, optional=()):
        widths = fit_widths(columns, columns, [row], room, optional)
        shown = [w for w in widths if w]
        assert room is None or sum(shown) + 2 * (len(shown) - 1) <= room
        return widths

    assert fit(None) == natural and fit(200) == natural
    assert fit(100) == [19, 11, 16, 100 - 19 - 11 - 16 - 6]  # free text first
    assert fit(80, ["bounced_at"]) == [19, 11, 0, 80 - 19 - 11 - 4]  # an optional column before free text
    assert fit(80) == [19, 11, 16, 28]  # none optional: free text goes below a readable part
    assert 28 < FREE_TEXT_READABLE
    assert fit(60) == [19, 11, 0, 60 - 19 - 11 - 4]  # below a few words: the last columns go, free text gets it
    assert fit(40) == [19, 11, 0, 0] and 40 - 19 - 11 - 4 < FREE_TEXT_MIN  # too little for a few words: left out
    assert fit(30) == [17, 11, 0, 0]  # then free text, then the widest identifier is shortened


def test_free_text_no_row_has_gives_way_before_any_column():
    from bouncectl.output import fit_widths

    columns = ["recipient", "bounce_type", "reason", "diagnostic"]
    rows = [["someone@example.com", "hard", "userunknown", ""], ["other@example.org", "soft", "blocked", ""]]
    # 19 + 4 + 11 + 10 (the header) and three gaps: 50 cells. In 40, the empty diagnostic goes, not the reason.
    headers = ["recipient", "type", "reason", "diagnostic"]
    assert fit_widths(columns, headers, rows, 40) == [19, 4, 11, 0]


def test_the_first_columns_a_view_keeps_stay_and_free_text_goes_first():
    from bouncectl.output import fit_widths

    columns = ["recipient", "bounce_type", "reason", "file", "diagnostic"]
    headers = ["recipient", "type", "reason", "file", "diagnostic"]
    row = ["this-local-part-does-not-exist-on-the-system@mineo.jp", "soft", "filtered", "lhost-sendmail-27.eml",
           "550 5.0.0 <this-local-part-does-not-exist-on-the-system@mineo.jp>... User unknown"]
    # By default the reason would go before the diagnostic's last few words; kept, it stays and they go.
    assert fit_widths(columns, headers, [row], 80)[2] == 0
    assert fit_widths(columns, headers, [row], 80, keep=3) == [53, 4, 8, 0, 0]

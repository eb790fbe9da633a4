#!/usr/bin/env python3
"""Fuzzes the slimlab binary with generated command lines and reports crashes, hangs, slow
lines and silent lines.

    scripts/fuzz.py [--binary .build/release/slimlab] [--seeds 1-4,13-22] [--lines 2000]
                    [--session 25] [--timeout 60] [--slow 5]

Each seed generates LINES lines (valid grammar with mutated values, junk, unicode, over-long
lines, model/data mismatches, absurd sizes, special files; every command family, Fashion-MNIST
subsets, LeNets, clustering, Deep Compression, search, diagnose, export, plots, sessions and
lessons) and feeds them, SESSION lines at a time, to `slimlab --keep-going` through a pipe.
A session whose exit status is not 0 or 1 is a crash; one that prints nothing for TIMEOUT
seconds is a hang; one that keeps printing (long but legal work, such as `train epochs=100000`
within the work budget, shows its progress) is stopped after LONG seconds and counted as long,
not as a failure; a line that runs longer than SLOW seconds is reported as slow (the output is flushed per
line, so each line's time is the time from its echo to the next); an echoed command line
followed by no output before the next echo is a silent line. Findings are printed with the
session's lines so that each can be replayed with `slimlab --keep-going < file`.

Nothing is ever written outside a fresh temporary folder: the sessions run there (HOME and the
history file too), every path a command writes to is a name inside it, and lines that write are
never mutated (an earlier fuzzer, run as root, replaced /dev/null through a save).
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

HUGE = ["0", "-1", "1e308", "nan", "inf", "99999999999999999999", "9223372036854775807",
        "9223372036854775808", "4294967296", "2147483647", "100000000", "10^12", "0x10", "",
        "abc", "1.5", "-0", "+3", "١٢", "1_000", "३"]

# Commands that write a file or folder: their targets are names in the work folder, and the
# lines are never mutated.
WRITERS = ("model save", "model export", "session save", "lesson export", "compress deep")


def special_files(workdir):
    """Files to read (any path is fine for reading) and targets to write (inside workdir)."""
    fifo = os.path.join(workdir, "fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    corrupt = os.path.join(workdir, "corrupt.safetensors")
    with open(corrupt, "wb") as handle:
        handle.write(b"\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}\x00\x01\x02\x03\x04\x05\x06")
    binary_csv = os.path.join(workdir, "junk.csv")
    with open(binary_csv, "wb") as handle:
        handle.write(bytes(range(256)) * 4)
    longline = os.path.join(workdir, "long.csv")
    with open(longline, "w") as handle:
        handle.write("a,b,label\n" + "1," * 200000 + "x\n")
    idx = os.path.join(workdir, "bad-images-idx3-ubyte")
    with open(idx, "wb") as handle:
        handle.write(b"\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02" + bytes(8))
    with open(os.path.join(workdir, "bad-labels-idx1-ubyte"), "wb") as handle:
        handle.write(b"\x00\x00\x0c\x01\x00\x00\x00\x02\x7f\xff\xff\xff\x00\x00\x00\x01")
    gz = os.path.join(workdir, "broken-images-idx3-ubyte.gz")
    with open(gz, "wb") as handle:
        handle.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(40)))
    sldc = os.path.join(workdir, "broken.sldc")
    with open(sldc, "wb") as handle:
        handle.write(b"SLDC" + bytes(range(60)))
    badsession = os.path.join(workdir, "badsession")
    os.makedirs(badsession, exist_ok=True)
    with open(os.path.join(badsession, "session.json"), "w") as handle:
        handle.write("{\"format\": 1, \"variants\": [{\"name\": \"x\", \"file\": \"../../etc/passwd\"}]}")
    os.makedirs(os.path.join(workdir, "folder"), exist_ok=True)
    reads = ["/dev/zero", "/dev/urandom", "/dev/null", fifo, "/", workdir, "/nonexistent/x",
             corrupt, binary_csv, longline, idx, gz, sldc, badsession, "/proc/self/status", "''", "\"\""]
    writes = ["out.safetensors", "out2.safetensors", "m.onnx", "sess", "sess2", "plot.svg", "deep.sldc",
              "ref.csv", "lesson.md", "fifo", "folder", "missing/x.onnx", "corrupt.safetensors", "''"]
    return reads, writes


def number(rng, small):
    return rng.choice(HUGE) if rng.random() < 0.35 else str(rng.choice(small))


def sizes(rng):
    if rng.random() < 0.3:
        parts = [number(rng, [1, 4, 8, 64]) for _ in range(rng.randint(1, 4))]
    else:
        parts = [rng.choice(["64", "4", "2", "784"])] + [str(rng.choice([1, 3, 8, 16, 32]))
                                                       for _ in range(rng.randint(0, 2))]
        parts.append(rng.choice(["10", "3", "2"]))
    if rng.random() < 0.1:
        parts[rng.randrange(len(parts))] = rng.choice(["100000000", "10000000", "9223372036854775807",
                                                        "4611686018427387904"])
    return "-".join(parts)


NAMES = ["mlp", "mlp2", "cnn", "lenet300", "lenet5", "int8", "int8-w", "pruned-80", "student", "baseline", "x",
         "mlp-deep", "mlp-search", "s", "c16"]


def command(rng, reads, writes):
    datasets = ["digits", "iris", "spirals", "moons", "blobs", "xor", "nosuch"]
    names = NAMES
    name = lambda: rng.choice(names)  # noqa: E731
    target = lambda: rng.choice(writes)  # noqa: E731
    plots = ["training", "sensitivity", "compare", "calibration", "activations", "mask", "bits", "nope"]
    choices = [
        lambda: f"data load {rng.choice(datasets + reads)} test={number(rng, ['0.25', '0.5', '0.1'])}",
        lambda: f"data load {rng.choice(datasets)}",
        lambda: f"data load {rng.choice(datasets)} val={number(rng, ['0.1', '0.2', '0.9'])}",
        lambda: f"data load fashion-mnist n={number(rng, [300, 600, 1000])} val={number(rng, ['0.1', '0.2'])}",
        lambda: rng.choice(["data load fashion-mnist n=500", "data load fashion-mnist" if rng.random() < 0.2 else "data info"]),
        lambda: f"data load {rng.choice(reads)}",
        lambda: f"data load {rng.choice(reads)} labels={rng.choice(reads)}",
        lambda: "data info",
        lambda: f"data show {number(rng, [0, 1, 5])}",
        lambda: f"model new mlp {sizes(rng)}",
        lambda: f"model new mlp {sizes(rng)} name={name()}",
        lambda: f"model new {rng.choice(['cnn', 'lenet300', 'lenet5', 'lenet', 'mlp'])}",
        lambda: "model list",
        lambda: f"model use {name()}",
        lambda: "model summary",
        lambda: f"model save {name()} {target()}",
        lambda: f"model load {rng.choice(reads + writes)}",
        lambda: f"model export {name()} {target()}" + (f" reference={target()}" if rng.random() < 0.5 else ""),
        lambda: f"model copy {name()} {name()}",
        lambda: f"model drop {name()}",
        lambda: f"model baseline {name()}",
        lambda: f"train epochs={number(rng, [1, 1, 2])} batch={number(rng, [32, 16, 64])}",
        lambda: f"train epochs=1 lr={number(rng, ['0.01', '0.1'])} optimizer={rng.choice(['sgd', 'adam', 'x'])}",
        lambda: f"train epochs={rng.choice(['100000', '50000', '1000'])}",
        lambda: "train epochs=1",
        lambda: "eval",
        lambda: f"predict {number(rng, [0, 3])}",
        lambda: f"trace {number(rng, [0, 1])}",
        lambda: f"show {rng.choice(['fc1.weight', 'fc1.out', 'fc2.bias', 'conv1.weight', 'nope'])}",
        lambda: f"prune magnitude sparsity={number(rng, ['0.5', '0.8', '0.99'])}",
        lambda: f"prune magnitude sparsity=0.8 schedule={rng.choice(['iterative', 'gradual', 'oneshot', 'x'])} steps={number(rng, [2, 3])} epochs={number(rng, [1])}",
        lambda: f"prune structured ratio={number(rng, ['0.25', '0.5'])}",
        lambda: f"prune sensitivity sparsities={rng.choice(['0.5', '0.1,0.9', 'x', '1.5'])}",
        lambda: f"finetune epochs={number(rng, [1])}",
        lambda: f"quantize bits={number(rng, [8, 4, 2])}",
        lambda: f"quantize samples={number(rng, [64, 16])}",
        lambda: f"quantize weights-only={rng.choice(['yes', 'no'])} calib={rng.choice(['minmax', 'mse', 'entropy', 'percentile'])} samples={number(rng, [32])}",
        lambda: f"quantize format={rng.choice(['q8_0', 'q4_0', 'q2'])}",
        lambda: f"quantize conventions {rng.choice(['fc1.weight', 'nope'])}",
        lambda: f"qat bits={number(rng, [4, 8])} epochs={number(rng, [1])}",
        lambda: f"distill teacher={name()} student=\"mlp {sizes(rng)}\" epochs={number(rng, [1])}",
        lambda: f"cluster k={number(rng, [2, 16, 32, 256])} init={rng.choice(['linear', 'density', 'random', 'kmeans++', 'x'])}",
        lambda: f"compress deep sparsity={number(rng, ['0.9', '0.5'])} k={number(rng, [4, 16])}"
                + (f" file={target()}" if rng.random() < 0.5 else ""),
        lambda: f"search budget={rng.choice(['edge', 'phone', 'cloud', '4KiB', '1', '0', '1e30', 'x', '2.5MiB'])}"
                + rng.choice(["", f" max-drop={number(rng, ['0.5', '2'])}", f" over={rng.choice(['bits', 'sparsity', 'x'])}",
                              f" strategy={rng.choice(['greedy', 'fallback', 'x'])}", f" finetune={number(rng, [0, 1, 3])}"]),
        lambda: f"diagnose {name()} {name()}",
        lambda: f"plot {rng.choice(plots)}" + (f" svg={target()}" if rng.random() < 0.3 else ""),
        lambda: f"session save {target()}",
        lambda: f"session load {rng.choice(writes + reads)}" + (" replace=yes" if rng.random() < 0.5 else ""),
        lambda: "compare",
        lambda: f"bench batch={number(rng, [1, 16])}",
        lambda: f"set seed={number(rng, [1, 2])} threads={number(rng, [1, 2])}",
        lambda: f"set max-memory={rng.choice(['1G', '4G', '0', 'x', '99999999T', '16G'])}",
        lambda: f"set max-work={rng.choice(['1M', '10T', '0', 'x', '99999999999P', '1G'])}",
        lambda: f"set precision={number(rng, [2, 4])}",
        lambda: f"formula {rng.choice(['softmax', 'kd', 'prune', 'xyz', ''])}",
        lambda: f"help {rng.choice(['train', 'model new', 'search', 'nope', ''])}",
        lambda: "history",
        lambda: "lesson list",
        lambda: f"lesson open {rng.choice(['0', '1', '2', '4', '10', '99', 'tour'])}",
        lambda: rng.choice(["next", "back", "hint", "answer", "answer 3", "skip", "lesson where", "lesson close",
                            "lesson restart", f"lesson goto {rng.choice(['1', '2', '3'])}", f"lesson export {target()}"]),
        lambda: rng.choice([";", ";;", " ; ; ", "#c", "", "  "]),
    ]
    return rng.choice(choices)()


def junk(rng):
    kind = rng.randrange(5)
    if kind == 0:
        return "".join(chr(rng.choice(list(range(1, 9)) + list(range(11, 32)) + [127]))
                       for _ in range(rng.randint(1, 20)))
    if kind == 1:
        return "".join(rng.choice("αβγ日本語🙂\u200b\u0301ÿ€") for _ in range(rng.randint(1, 20)))
    if kind == 2:
        return rng.choice(["train", "model new mlp", "data load", "search budget="]) + " " + "x" * rng.choice([1000, 100000])
    if kind == 3:
        return "".join(rng.choice("\"'=;# \\-,.") for _ in range(rng.randint(1, 12)))
    return "".join(chr(rng.randint(33, 126)) for _ in range(rng.randint(1, 40)))


def mutate(rng, line):
    if not line or rng.random() < 0.7 or line.lstrip().startswith(WRITERS) or ";" in line:
        return line
    position = rng.randrange(len(line))
    action = rng.randrange(3)
    if action == 0:
        line = line[:position] + line[position + 1:]
    elif action == 1:
        line = line[:position] + rng.choice("=;\"' -x0") + line[position:]
    else:
        line = line[:position] + junk(rng) + line[position:]
    # A mutation that made a writing command (or a ';' before one) is dropped.
    if any(part.strip().startswith(WRITERS) for part in line.split(";")) or "svg=" in line:
        return "model list"
    return line


MISMATCHES = [
    ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris", "quantize"],
    ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris", "qat bits=4 epochs=1"],
    ["data load digits", "model new mlp 64-16-10", "data load iris", "distill teacher=mlp student=\"mlp 4-3\" epochs=1"],
    ["data load iris", "model new mlp 4-8-3", "data load digits", "compare", "bench", "prune sensitivity",
     "finetune epochs=1", "predict 0", "trace 0", "eval", "quantize samples=8", "search budget=edge",
     "diagnose mlp mlp", "cluster k=4", "compress deep", "plot activations", "model export mlp m.onnx reference=ref.csv"],
    ["data load digits", "model new cnn", "data load iris", "train epochs=1", "quantize", "eval", "search budget=phone"],
    ["data load spirals", "model new mlp 2-8-2", "data load blobs", "quantize", "qat epochs=1", "compare"],
    ["data load fashion-mnist n=400 val=0.1", "model new lenet300", "train epochs=1", "search budget=edge finetune=1",
     "diagnose lenet300 lenet300-search", "data load digits", "search budget=edge", "compress deep", "plot bits"],
    ["data load fashion-mnist n=300", "model new lenet5", "train epochs=1 batch=64", "quantize", "search budget=cloud",
     "cluster k=8", "model export lenet5 m.onnx", "data load digits", "eval", "diagnose lenet5 int8"],
    ["data load digits val=0.2", "model new mlp 64-32-10 name=mlp", "train epochs=2", "quantize as=int8",
     "diagnose mlp int8", "session save sess", "model drop int8", "session load sess replace=yes", "model list",
     "data load iris", "session load sess", "diagnose mlp int8"],
    ["data load digits", "model new mlp 64-16-10 name=mlp", "train epochs=1", "cluster k=4 as=c16",
     "finetune epochs=1", "compress deep file=deep.sldc", "model load deep.sldc", "model load broken.sldc"],
]


def generate(seed, count, reads, writes):
    rng = random.Random(seed)
    lines = []
    while len(lines) < count:
        roll = rng.random()
        if roll < 0.08:
            lines += rng.choice(MISMATCHES)
        elif roll < 0.2:
            lines.append(junk(rng))
        else:
            lines.append(mutate(rng, command(rng, reads, writes)))
    return [line.replace("\n", " ").replace("\r", " ") for line in lines[:count]]


ECHO = re.compile(r"^slimlab(\[[^\]]*\])?> ")


# Swift's Character.isWhitespace: the Unicode White_Space property.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def is_echo(text, line):
    """The echo of `line`, or the first line of it when a long echo wraps (at 100 columns,
    continued on lines indented by two spaces)."""
    if not ECHO.match(text):
        return False
    rest = ECHO.sub("", text, 1)
    return rest == line or (len(rest) > 0 and line.startswith(rest.rstrip(" ")))


def echo_length(out, position, line):
    """How many output lines the echo at `position` takes (a wrapped echo continues)."""
    count = 1
    while position + count < len(out) and out[position + count].startswith("  ") \
            and out[position + count][2:] and out[position + count][2:] in line:
        count += 1
    return count


def silent_lines(lines, output, times):
    """The lines whose echo is followed by no output before the next echo (or the end), and
    each line's running time (from its echo to the next echo or the end)."""
    out = output.split("\n")
    if out and out[-1] == "":
        out.pop()
    expected = [line.strip(WHITE_SPACE) for line in lines]
    expected = [line for line in expected if line and not line.startswith("#")]
    echoes, lengths = [], []
    position = 0
    for index, line in enumerate(expected):
        while position < len(out) and not is_echo(out[position], line):
            position += 1
        if position >= len(out):
            return [], [], f"echo of line {index} not found: {line[:80]!r}"
        echoes.append(position)
        lengths.append(echo_length(out, position, line))
        position += lengths[-1]
    silent, durations = [], []
    for index, start in enumerate(echoes):
        end = echoes[index + 1] if index + 1 < len(echoes) else len(out)
        if end - start <= lengths[index]:
            silent.append(expected[index])
        finish = times[end] if end < len(times) else times[-1] if times else 0
        durations.append((finish - times[start] if start < len(times) else 0, expected[index]))
    return silent, durations, None


def run_session(binary, lines, timeout, workdir, long_limit=600):
    """Runs the lines; returns (problem, output, stderr, per-output-line arrival times)."""
    text = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    environment = dict(os.environ, SLIMLAB_HISTORY=os.path.join(workdir, "history"), NO_COLOR="1",
                       SWIFT_BACKTRACE="enable=no", HOME=workdir)
    process = subprocess.Popen([binary, "--keep-going"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment, cwd=workdir)

    def feed():
        try:
            process.stdin.write(text)
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
    errors = []
    threading.Thread(target=feed, daemon=True).start()
    threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True).start()
    start = time.monotonic()
    raw, times = [], []
    verdict = []

    def watch():
        # A hang prints nothing for `timeout` seconds; long work that keeps printing is stopped
        # after `long_limit` seconds and reported as long.
        while process.poll() is None:
            now = time.monotonic()
            last = start + (times[-1] if times else 0)
            if now - last > timeout:
                verdict.append("hang")
            elif now - start > long_limit:
                verdict.append("long")
            if verdict:
                process.kill()
                return
            time.sleep(0.2)
    threading.Thread(target=watch, daemon=True).start()
    for line in process.stdout:
        raw.append(line)
        times.append(time.monotonic() - start)
    process.wait()
    times.append(time.monotonic() - start)
    output = b"".join(raw).decode("utf-8", "replace")
    stderr = (errors[0] if errors else b"").decode("utf-8", "replace")
    if verdict and process.returncode == -9:
        return verdict[0], output, stderr, times
    if process.returncode not in (0, 1):
        return f"crash (status {process.returncode})", output, stderr, times
    return None, output, stderr, times


def seed_range(text):
    """`1-5`, `3,7`, `1-4,13-22`."""
    seeds = []
    for part in text.split(","):
        if "-" in part:
            first, last = part.split("-")
            seeds += range(int(first), int(last) + 1)
        else:
            seeds.append(int(part))
    return seeds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/slimlab")
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--session", type=int, default=25)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--slow", type=float, default=5)
    parser.add_argument("--long", type=float, default=600)
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    workdir = tempfile.mkdtemp(prefix="slimlab-fuzz-")
    reads, writes = special_files(workdir)
    totals = {"lines": 0, "sessions": 0, "crash": 0, "hang": 0, "long": 0, "silent": 0, "slow": 0}
    slowest = []
    for seed in seed_range(arguments.seeds):
        lines = generate(seed, arguments.lines, reads, writes)
        for start in range(0, len(lines), arguments.session):
            # A lower work limit refuses valid but long training (train epochs=100000 on
            # digits), so that what stays slow is worth a look; some lines raise it again.
            chunk = ["set max-work=100G"] + lines[start:start + arguments.session]
            totals["lines"] += len(chunk)
            totals["sessions"] += 1
            problem, output, errors, times = run_session(binary, chunk, arguments.timeout, workdir, arguments.long)
            if problem:
                key = problem if problem in ("hang", "long") else "crash"
                totals[key] += 1
                print(f"== seed {seed} lines {start}..{start + len(chunk)}: {problem}")
                print("   last output: " + (output or "")[-300:].replace("\n", "\n   "))
                print("   stderr: " + (errors or "")[-300:].replace("\n", "\n   "))
                for line in chunk:
                    print("   > " + line[:160])
                continue
            silent, durations, trouble = silent_lines(chunk, output, times)
            if trouble:
                print(f"== seed {seed} lines {start}..: transcript not understood: {trouble}")
            for line in silent:
                totals["silent"] += 1
                print(f"== seed {seed}: silent line {line[:160]!r}")
            for seconds, line in durations:
                slowest.append((seconds, seed, start, line[:120]))
                if seconds > arguments.slow:
                    totals["slow"] += 1
                    print(f"== seed {seed} lines {start}..: {seconds:.1f} s for {line[:120]!r}")
    slowest.sort(reverse=True)
    print("slowest lines:")
    for seconds, seed, start, line in slowest[:10]:
        print(f"   {seconds:6.2f} s  seed {seed} lines {start}..: {line}")
    print("fuzz: {lines} lines in {sessions} sessions: {crash} crashes, {hang} hangs, {silent} silent lines, "
          "{slow} lines over the slow limit, {long} sessions of long work stopped while printing progress".format(**totals))
    return 0 if totals["crash"] == totals["hang"] == totals["silent"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fuzzes the slimlab binary with generated command lines and reports crashes, hangs and
silent lines.

    scripts/fuzz.py [--binary .build/release/slimlab] [--seeds 1-20] [--lines 2000]
                    [--session 25] [--timeout 20]

Each seed generates LINES lines (valid grammar with mutated values, junk, unicode, over-long
lines, model/data mismatches, absurd sizes, special files) and feeds them, SESSION lines at
a time, to `slimlab --keep-going` through a pipe. A session whose exit status is not 0 or 1
is a crash; one that outlives TIMEOUT seconds is a hang; an echoed command line followed by
no output before the next echo is a silent line. Findings are printed with the session's
lines so that each can be replayed with `slimlab --keep-going < file`.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

HUGE = ["0", "-1", "1e308", "nan", "inf", "99999999999999999999", "9223372036854775807",
        "9223372036854775808", "4294967296", "2147483647", "100000000", "10^12", "0x10", "",
        "abc", "1.5", "-0", "+3", "١٢", "1_000", "३"]


def special_files(workdir):
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
    return ["/dev/zero", "/dev/urandom", "/dev/null", fifo, "/", workdir, "/nonexistent/x",
            corrupt, binary_csv, longline, "/proc/self/status", "''", "\"\""]


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


def command(rng, files):
    datasets = ["digits", "iris", "spirals", "moons", "blobs", "xor", "nosuch"]
    names = ["mlp", "mlp2", "cnn", "int8", "int8-w", "pruned-80", "student", "baseline", "x"]
    choices = [
        lambda: f"data load {rng.choice(datasets + files)} test={number(rng, ['0.25', '0.5', '0.1'])}",
        lambda: f"data load {rng.choice(datasets)}",
        lambda: f"data load {rng.choice(files)}",
        lambda: "data info",
        lambda: f"data show {number(rng, [0, 1, 5])}",
        lambda: f"model new mlp {sizes(rng)}",
        lambda: f"model new mlp {sizes(rng)} name={rng.choice(names)}",
        lambda: "model new cnn",
        lambda: "model list",
        lambda: f"model use {rng.choice(names)}",
        lambda: "model summary",
        # never a save aimed at /dev: as root, replacing a device would break the machine
        lambda: f"model save {rng.choice(names)} {rng.choice([f for f in files if not f.startswith('/dev')] + ['/tmp/fuzz-model.safetensors'])}",
        lambda: f"model load {rng.choice(files + ['/tmp/fuzz-model.safetensors'])}",
        lambda: f"model copy {rng.choice(names)} {rng.choice(names)}",
        lambda: f"model drop {rng.choice(names)}",
        lambda: f"train epochs={number(rng, [1, 1, 2])} batch={number(rng, [32, 16, 1])}",
        lambda: f"train epochs=1 lr={number(rng, ['0.01', '0.1'])} optimizer={rng.choice(['sgd', 'adam', 'x'])}",
        lambda: "train epochs=1",
        lambda: "eval",
        lambda: f"predict {number(rng, [0, 3])}",
        lambda: f"trace {number(rng, [0, 1])}",
        lambda: f"show {rng.choice(['fc1.weight', 'fc1.out', 'fc2.bias', 'nope'])}",
        lambda: f"prune magnitude sparsity={number(rng, ['0.5', '0.8', '0.99'])}",
        lambda: f"prune structured ratio={number(rng, ['0.25', '0.5'])}",
        lambda: f"prune sensitivity sparsities={rng.choice(['0.5', '0.1,0.9', 'x'])}",
        lambda: f"finetune epochs={number(rng, [1])}",
        lambda: f"quantize bits={number(rng, [8, 4, 2])}",
        lambda: f"quantize samples={number(rng, [64, 16])}",
        lambda: f"quantize weights-only={rng.choice(['yes', 'no'])} calib={rng.choice(['minmax', 'mse', 'entropy', 'percentile'])} samples={number(rng, [32])}",
        lambda: f"quantize format={rng.choice(['q8_0', 'q4_0', 'q2'])}",
        lambda: f"quantize conventions {rng.choice(['fc1.weight', 'nope'])}",
        lambda: f"qat bits={number(rng, [4, 8])} epochs={number(rng, [1])}",
        lambda: f"distill teacher={rng.choice(names)} student=\"mlp {sizes(rng)}\" epochs={number(rng, [1])}",
        lambda: "compare",
        lambda: f"bench batch={number(rng, [1, 16])}",
        lambda: f"set seed={number(rng, [1, 2])} threads={number(rng, [1, 2])}",
        lambda: f"set precision={number(rng, [2, 4])}",
        lambda: f"formula {rng.choice(['softmax', 'kd', 'prune', 'xyz', ''])}",
        lambda: f"help {rng.choice(['train', 'model new', 'nope', ''])}",
        lambda: "history",
        lambda: "lesson list",
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
        return rng.choice(["train", "model new mlp", "data load"]) + " " + "x" * rng.choice([1000, 100000])
    if kind == 3:
        return "".join(rng.choice("\"'=;# \\-,.") for _ in range(rng.randint(1, 12)))
    return "".join(chr(rng.randint(33, 126)) for _ in range(rng.randint(1, 40)))


def mutate(rng, line):
    if not line or rng.random() < 0.7:
        return line
    position = rng.randrange(len(line))
    action = rng.randrange(3)
    if action == 0:
        return line[:position] + line[position + 1:]
    if action == 1:
        return line[:position] + rng.choice("=;\"' -x0") + line[position:]
    return line[:position] + junk(rng) + line[position:]


MISMATCHES = [
    ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris", "quantize"],
    ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris", "qat bits=4 epochs=1"],
    ["data load digits", "model new mlp 64-16-10", "data load iris", "distill teacher=mlp student=\"mlp 4-3\" epochs=1"],
    ["data load iris", "model new mlp 4-8-3", "data load digits", "compare", "bench", "prune sensitivity",
     "finetune epochs=1", "predict 0", "trace 0", "eval", "quantize samples=8"],
    ["data load digits", "model new cnn", "data load iris", "train epochs=1", "quantize", "eval"],
    ["data load spirals", "model new mlp 2-8-2", "data load blobs", "quantize", "qat epochs=1", "compare"],
]


def generate(seed, count, files):
    rng = random.Random(seed)
    lines = []
    while len(lines) < count:
        roll = rng.random()
        if roll < 0.08:
            lines += rng.choice(MISMATCHES)
        elif roll < 0.2:
            lines.append(junk(rng))
        else:
            lines.append(mutate(rng, command(rng, files)))
    return [line.replace("\n", " ").replace("\r", " ") for line in lines[:count]]


ECHO = re.compile(r"^slimlab(\[[^\]]*\])?> ")


# Swift's Character.isWhitespace: the Unicode White_Space property.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def is_echo(text, line):
    return bool(ECHO.match(text)) and ECHO.sub("", text, 1) == line


def silent_lines(lines, output):
    """The lines whose echo is followed by no output before the next echo (or the end)."""
    out = output.split("\n")
    if out and out[-1] == "":
        out.pop()
    expected = [line.strip(WHITE_SPACE) for line in lines]
    expected = [line for line in expected if line and not line.startswith("#")]
    echoes = []
    position = 0
    for index, line in enumerate(expected):
        while position < len(out) and not is_echo(out[position], line):
            position += 1
        if position >= len(out):
            return [], f"echo of line {index} not found: {line[:80]!r}"
        echoes.append(position)
        position += 1
    silent = []
    for index, start in enumerate(echoes):
        end = echoes[index + 1] if index + 1 < len(echoes) else len(out)
        if end - start <= 1:
            silent.append(expected[index])
    return silent, None


def run_session(binary, lines, timeout, workdir):
    text = "\n".join(lines) + "\n"
    environment = dict(os.environ, SLIMLAB_HISTORY=os.path.join(workdir, "history"), NO_COLOR="1",
                       SWIFT_BACKTRACE="enable=no")
    try:
        result = subprocess.run([binary, "--keep-going"], input=text.encode("utf-8", "surrogateescape"),
                                capture_output=True, timeout=timeout, env=environment, cwd=workdir)
    except subprocess.TimeoutExpired:
        return "hang", None, ""
    output = result.stdout.decode("utf-8", "replace")
    if result.returncode not in (0, 1):
        return f"crash (status {result.returncode})", output, result.stderr.decode("utf-8", "replace")
    return None, output, result.stderr.decode("utf-8", "replace")


def seed_range(text):
    if "-" in text:
        first, last = text.split("-")
        return range(int(first), int(last) + 1)
    return [int(part) for part in text.split(",")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/slimlab")
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--session", type=int, default=25)
    parser.add_argument("--timeout", type=float, default=20)
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    workdir = tempfile.mkdtemp(prefix="slimlab-fuzz-")
    files = special_files(workdir)
    totals = {"lines": 0, "sessions": 0, "crash": 0, "hang": 0, "silent": 0}
    for seed in seed_range(arguments.seeds):
        lines = generate(seed, arguments.lines, files)
        for start in range(0, len(lines), arguments.session):
            chunk = lines[start:start + arguments.session]
            totals["lines"] += len(chunk)
            totals["sessions"] += 1
            problem, output, errors = run_session(binary, chunk, arguments.timeout, workdir)
            if problem:
                key = "hang" if problem == "hang" else "crash"
                totals[key] += 1
                print(f"== seed {seed} lines {start}..{start + len(chunk)}: {problem}")
                print("   last output: " + (output or "")[-300:].replace("\n", "\n   "))
                print("   stderr: " + (errors or "")[-300:].replace("\n", "\n   "))
                for line in chunk:
                    print("   > " + line[:160])
                continue
            silent, trouble = silent_lines(chunk, output)
            if trouble:
                print(f"== seed {seed} lines {start}..: transcript not understood: {trouble}")
            for line in silent:
                totals["silent"] += 1
                print(f"== seed {seed}: silent line {line[:160]!r}")
    print("fuzz: {lines} lines in {sessions} sessions: {crash} crashes, {hang} hangs, {silent} silent lines"
          .format(**totals))
    return 0 if totals["crash"] == totals["hang"] == totals["silent"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

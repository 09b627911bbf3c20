#!/usr/bin/python3
"""Checks parafrac-cli's presets against references it did not produce:
- `--preset seed --format i32` equals seed_oracle.py (the seed's NumPy algorithm), byte for byte;
- `--preset bg` at N=200 has the Benchmarks Game reference output's sha256.
Usage: check_presets.py PATH/TO/parafrac-cli
"""
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BG_200_SHA256 = "97610473750700638fc63d13cfa49d339b67c18e7f26b3f9c9acb61e746472d5"


def render(cli, out, *args):
    subprocess.run([cli, "render", *args, "-o", out], check=True, stderr=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()


def main():
    cli = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for width, height, strategy in [(1, 1, "serial"), (17, 13, "threads"), (300, 400, "pool"),
                                        (301, 199, "async")]:
            ours = render(cli, f"{tmp}/ours.i32", "--preset", "seed", "--size", f"{width}x{height}",
                          "--format", "i32", "--strategy", strategy)
            subprocess.run(["/usr/bin/python3", f"{HERE}/seed_oracle.py", str(width), str(height),
                            f"{tmp}/numpy.i32"], check=True)
            with open(f"{tmp}/numpy.i32", "rb") as f:
                theirs = f.read()
            same = ours == theirs
            failures += not same
            print(f"seed {width}x{height} ({strategy}) vs NumPy: {'identical' if same else 'DIFFERENT'}")
        digest = hashlib.sha256(render(cli, f"{tmp}/bg.pbm", "--preset", "bg", "--size", "200x200")).hexdigest()
        same = digest == BG_200_SHA256
        failures += not same
        print(f"bg N=200 sha256 {digest}: {'matches' if same else 'DOES NOT MATCH'} the reference")
    print(f"{5 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""The Lambda runtime the audit function is declared with, and what a package must
match to load there: the CPython version (extension-module ABI), the architecture
and the C library.

python3.12 runs on Amazon Linux 2023 (AWS Lambda developer guide, "Building Lambda
functions with Python": https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html),
whose C library is glibc 2.34 (Amazon Linux 2023 user guide, "Core toolchain packages":
https://docs.aws.amazon.com/linux/al2023/ug/core-glibc.html). The python3.11 runtime
(Amazon Linux 2, glibc 2.26) cannot load the wasmtime library the policy engine runs on.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class LambdaRuntime:
    name: str                   # Lambda's runtime identifier
    python: tuple[int, int]     # the CPython it runs
    architecture: str           # Lambda's name: x86_64 or arm64
    glibc: tuple[int, int]      # the newest GLIBC_x.y symbol version its libc defines

    @property
    def machine(self) -> str:
        """The processor as wheel tags and ELF headers name it."""
        return {"x86_64": "x86_64", "arm64": "aarch64"}[self.architecture]

    @property
    def abi(self) -> str:
        return f"cp{self.python[0]}{self.python[1]}"

    def platforms(self) -> list[str]:
        """Every manylinux tag a wheel may carry and still load here, newest first
        (pip does not widen a `manylinux_2_x` platform to older tags by itself)."""
        major, minor = self.glibc
        tags = [f"manylinux_{major}_{m}_{self.machine}" for m in range(minor, 16, -1)]
        tags.append(f"manylinux2014_{self.machine}")
        if self.machine == "x86_64":
            tags += ["manylinux2010_x86_64", "manylinux1_x86_64"]
        return tags

    def pip_args(self) -> list[str]:
        """pip options that resolve binary wheels for this runtime, whatever Python runs pip."""
        args = ["--only-binary=:all:", "--implementation", "cp",
                "--python-version", f"{self.python[0]}.{self.python[1]}"]
        for abi in (self.abi, "abi3", "none"):
            args += ["--abi", abi]
        for tag in self.platforms():
            args += ["--platform", tag]
        return args


LAMBDA_RUNTIME = LambdaRuntime(name="python3.12", python=(3, 12), architecture="x86_64", glibc=(2, 34))

"""Confinement of query worker processes by the operating system, so that no query reaches the network.

The screen (plgkg.execution.screen) refuses every query that asks an engine for SERVICE or FROM. This is the
second wall, in case the screen is ever wrong: each worker, as it starts and before it opens the data,

* installs a seccomp filter (Linux, x86_64 and aarch64) under which `socket()` fails with EACCES for
  every address family, and `io_uring_setup()` (which can open sockets too) with ENOSYS. The worker
  talks to the service over the pipe it inherited, so it needs no new socket; an engine that tries
  SERVICE, or rdflib fetching a FROM graph, gets "permission denied" without a packet sent. The filter
  is inherited by any thread or process the worker starts and cannot be lifted (no_new_privs);
* asks to be killed when its parent dies (PR_SET_PDEATHSIG), so a busy worker does not run on after
  the service is killed. The pool starts its workers from one long-lived thread, since Linux sends
  that signal when the thread that started the process ends.

`confine()` says what it did; on a system where seccomp is not available it does nothing and says
so, and the pool reports it (`QueryPool.confinement`, `workers_confined` in /healthz).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import signal
import struct
import sys

from plgkg.errors import SandboxError

# prctl options and seccomp constants (linux/prctl.h, linux/seccomp.h, linux/filter.h, linux/audit.h)
PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_RET_K = 0x06
X32_SYSCALL_BIT = 0x40000000

# machine: (audit architecture, socket, io_uring_setup)
ARCHITECTURES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def network_filter(machine: str) -> bytes:
    """The seccomp BPF program, as bytes of struct sock_filter, for machine."""
    arch, socket_nr, io_uring_nr = ARCHITECTURES[machine]
    program = [
        _instruction(BPF_LD_W_ABS, 0, 0, 4),  # 0: A = seccomp_data.arch
        _instruction(BPF_JEQ_K, 0, 7, arch),  # 1: another ABI (int 0x80): deny all at 9
        _instruction(BPF_LD_W_ABS, 0, 0, 0),  # 2: A = seccomp_data.nr
        _instruction(BPF_JGE_K, 3, 0, X32_SYSCALL_BIT),  # 3: the x32 ABI: EACCES at 7
        _instruction(BPF_JEQ_K, 3, 0, io_uring_nr),  # 4: io_uring_setup: ENOSYS at 8
        _instruction(BPF_JEQ_K, 1, 0, socket_nr),  # 5: socket: EACCES at 7
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),  # 6
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EACCES),  # 7
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.ENOSYS),  # 8
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EPERM),  # 9
    ]
    return b"".join(program)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _prctl(libc: ctypes.CDLL, option: int, arg: int) -> None:
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(option, arg, 0, 0, 0) != 0:
        code = ctypes.get_errno()
        raise SandboxError(f"prctl({option}) failed: {os.strerror(code)}")


def die_with_parent(parent_pid: int | None) -> None:
    """Be killed (SIGKILL) when the parent ends; exit now if it already has."""
    if not sys.platform.startswith("linux"):
        return
    _prctl(_libc(), PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the signal was asked for


def deny_network() -> str:
    """Install the seccomp filter in this process: no socket can be opened from here on.

    Returns "seccomp" when installed, or a sentence saying why not on this system; raises SandboxError
    if the system should support it and refused."""
    machine = platform.machine().lower()
    if not sys.platform.startswith("linux"):
        return f"not confined: seccomp needs Linux (this is {sys.platform})"
    if machine not in ARCHITECTURES:
        return f"not confined: no seccomp filter for {machine}"
    program = network_filter(machine)
    buffer = ctypes.create_string_buffer(program, len(program))
    # struct sock_fprog { unsigned short len; struct sock_filter *filter; }
    fprog = struct.pack("@HP", len(program) // 8, ctypes.addressof(buffer))  # native alignment
    fprog_buffer = ctypes.create_string_buffer(fprog, len(fprog))
    libc = _libc()
    _prctl(libc, PR_SET_NO_NEW_PRIVS, 1)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog_buffer), 0, 0) != 0:
        code = ctypes.get_errno()
        raise SandboxError(f"the seccomp filter was refused: {os.strerror(code)}")
    return "seccomp"


def confine(parent_pid: int | None) -> str:
    """Everything a query worker does to itself at start: die with the parent, deny the network."""
    die_with_parent(parent_pid)
    return deny_network()

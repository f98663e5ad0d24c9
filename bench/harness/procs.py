"""Processes, HTTP and /proc helpers for the benchmark harness (Python 3 standard library only).

Every process the harness starts is recorded here and ended by its own id when the harness exits, also on errors
and Ctrl-C. Nothing else is ever signalled.
"""
import atexit
import http.client
import os
import signal
import socket
import subprocess
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_started = {}


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


class Proc:
    """A started process (its pid is the JVM's: taskset execs the command)."""

    def __init__(self, name, cmd, env, cwd, log_path, cpus=None):
        self.name = name
        if cpus:
            cmd = ["taskset", "-c", cpus] + list(cmd)
        self.cmd = [str(c) for c in cmd]
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "wb")
        self.started = time.monotonic()
        self.popen = subprocess.Popen(self.cmd, env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid = self.popen.pid
        _started[self.pid] = self

    def alive(self):
        return self.popen.poll() is None

    def rss_kb(self):
        return read_status_kb(self.pid, "VmRSS")

    def cpu_seconds(self):
        return process_cpu_seconds(self.pid)

    def kill(self):
        self._signal(signal.SIGKILL)
        self._reap(30)

    def stop(self, grace=20):
        """SIGTERM (graceful shutdown), then SIGKILL after `grace` seconds."""
        self._signal(signal.SIGTERM)
        if not self._reap(grace):
            self.kill()

    def _signal(self, sig):
        if self.alive():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def _reap(self, timeout):
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        _started.pop(self.pid, None)
        self._log.close()
        return True

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _cleanup():
    for proc in list(_started.values()):
        proc.kill()


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, lambda *_: (_cleanup(), os._exit(143)))


def read_status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def process_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError):
        return None


def machine_cpu():
    """(busy seconds, total seconds) of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Ports:
    """Hands out free ports from the benchmark's own range."""

    def __init__(self, base, limit=100):
        self.next = base
        self.end = base + limit

    def take(self):
        while self.next < self.end:
            port = self.next
            self.next += 1
            if port_free(port):
                return port
        raise RuntimeError(f"no free port left below {self.end}; pass --port-base")


def http_request(port, path, method="GET", headers=None, body=None, timeout=5.0):
    """One request to 127.0.0.1; returns (status, headers dict lower-case, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def wait_ready(proc, port, path="/readyz", timeout=120.0, interval=0.01):
    """Seconds from process start until `path` answers 200; raises if the process dies or the time runs out."""
    deadline = proc.started + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = http_request(port, path, timeout=1.0)
            if status == 200:
                return time.monotonic() - proc.started
        except (OSError, http.client.HTTPException):
            pass
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode} before ready; log "
                               f"{proc.log_path}:\n{proc.log_tail()}")
        time.sleep(interval)
    raise RuntimeError(f"{proc.name} not ready on :{port}{path} after {timeout:.0f}s; log {proc.log_path}:\n"
                       f"{proc.log_tail()}")


def run_measured(cmd, out_path, cpus=None, timeout=None):
    """Runs a client to completion; returns (exit code, its CPU seconds from wait4, wall seconds)."""
    if cpus:
        cmd = ["taskset", "-c", cpus] + list(cmd)
    with open(out_path, "wb") as out:
        started = time.monotonic()
        popen = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(popen.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.monotonic() > deadline:
                os.kill(popen.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(popen.pid, 0)
                break
            time.sleep(0.02)
        popen.returncode = os.waitstatus_to_exitcode(status)
        return popen.returncode, usage.ru_utime + usage.ru_stime, time.monotonic() - started

#!/usr/bin/env python3
"""Faults injected for real, against the built `koers` binary.

1. kill -9 of the server in the middle of a 40,000-line student import, of concurrent HRM-scan
   submissions and of report saves; after a restart, what was committed is there and nothing
   is half-written (the import is all or nothing; every round's answered count equals its
   answers and answered invitations; every report has exactly the agreements of one save).
2. PostgreSQL stopped while Koers runs: requests fail fast with 503 and a clear page, /readyz
   says why, and Koers recovers on its own when the database is back.
3. Disk full, on SQLite (a small filesystem) and PostgreSQL (a tablespace on one): 507
   storage-full, nothing half-written, and Koers works again once there is room.

usage: scripts/faults.py KOERS_BINARY [--postgres URL] [--pg-cluster VERSION/NAME]
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = sys.argv[1]
PG = sys.argv[sys.argv.index("--postgres") + 1] if "--postgres" in sys.argv else None
CLUSTER = sys.argv[sys.argv.index("--pg-cluster") + 1] if "--pg-cluster" in sys.argv else None
PORT = 18301
BASE = f"http://127.0.0.1:{PORT}"
figures = {"kills": 0, "pg_stops": 0, "disk_full": 0, "lost": 0}


def http(method, path, token=None, body=None, ctype="application/json", timeout=60):
    data = None
    headers = {}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = ctype
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
        return 0, str(e)


class Server:
    def __init__(self, db_args, log):
        self.db_args, self.log, self.proc = db_args, log, None

    def start(self, demo=False):
        args = [BIN, "serve", "--addr", f"127.0.0.1:{PORT}", *self.db_args]
        if demo:
            args += ["--demo", "--demo-students", "200"]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log,
                                     env={**os.environ, "KOERS_DEMO_PASSWORD": "koers-demo"})
        for _ in range(600):
            if http("GET", "/readyz", timeout=2)[0] == 200:
                return
            if self.proc.poll() is not None:
                raise SystemExit(f"koers exited with {self.proc.returncode}")
            time.sleep(0.2)
        raise SystemExit("koers did not become ready")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        figures["kills"] += 1

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


def login(email):
    s, b = http("POST", "/api/v1/sessions", body={"email": email, "password": "koers-demo"})
    assert s == 201, (email, s, b)
    return json.loads(b)["token"]


class Sql:
    """Read-only checks straight in the database."""

    def __init__(self, sqlite_path=None, pg_url=None):
        self.sqlite_path, self.pg_url = sqlite_path, pg_url

    def rows(self, query):
        if self.sqlite_path:
            c = sqlite3.connect(self.sqlite_path)
            try:
                return [tuple(r) for r in c.execute(query).fetchall()]
            finally:
                c.close()
        out = subprocess.run(["psql", "-At", "-F", "\t", self.pg_url, "-c", query],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def one(self, query):
        return self.rows(query)[0][0]


def import_csv(prefix, n):
    lines = ["studentnummer;voornaam;achternaam;e-mail;opleiding;cohort"]
    lines += [f"{prefix}{i:06d};Kill;Test {i};{prefix.lower()}{i}@student.demo.koers.test;LO-ECO;2026"
              for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def kill_during_import(server, sql, admin):
    n = 40000
    # Time a whole import first, then kill the next one at 60 % of that: in its writing.
    t0 = time.time()
    s, b = http("POST", "/api/v1/students/import", admin, import_csv("K8", n), "text/csv", timeout=300)
    assert s == 200, (s, b[:300])
    took = time.time() - t0
    csv = import_csv("K9", n)
    result = {}

    def post():
        result["status"] = http("POST", "/api/v1/students/import", admin, csv, "text/csv", timeout=300)[0]

    t = threading.Thread(target=post)
    t.start()
    time.sleep(took * 0.6)
    server.kill9()
    t.join()
    server.start()
    got = int(sql.one("SELECT COUNT(*) FROM students WHERE student_number LIKE 'K9%'"))
    assert got in (0, n), f"import half-written: {got} of {n} students"
    before = int(sql.one("SELECT COUNT(*) FROM students WHERE student_number LIKE 'K8%'"))
    assert before == n, f"the committed import lost students: {before}"
    print(f"   import killed at {took * 0.6:.1f} s of {took:.1f} s (client saw {result.get('status')}): "
          f"{got} of {n} students after restart, all or nothing; the earlier import's {before} all there")
    return got


def kill_during_scan_answers(server, sql):
    rid = sql.one("SELECT id FROM scan_rounds WHERE status = 'open'")
    tokens = [login(f"medewerker{i:02d}@demo.koers.test") for i in range(1, 13)]
    s, b = http("GET", f"/api/v1/hrm-scans/{rid}/questionnaire", tokens[0])
    assert s == 200, b
    items = [i["id"] for i in json.loads(b)["items"]]
    body = {"answers": {i: 4 for i in items}, "comments": {}}
    statuses = []

    def answer(tok):
        statuses.append(http("POST", f"/api/v1/hrm-scans/{rid}/responses", tok, body)[0])

    threads = [threading.Thread(target=answer, args=(tok,)) for tok in tokens]
    for t in threads:
        t.start()
    # Killed as soon as the first answer is confirmed, while the others are under way: a
    # kill before any confirmation would prove nothing about confirmed answers.
    t0 = time.time()
    while not any(s in (200, 201) for s in statuses) and time.time() - t0 < 10:
        time.sleep(0.001)
    unanswered = len(tokens) - len(statuses)
    server.kill9()
    for t in threads:
        t.join()
    server.start()
    responded, answers, invited_yes = sql.rows(
        f"SELECT r.responded, (SELECT COUNT(*) FROM scan_responses WHERE round_id = r.id), "
        f"(SELECT COUNT(*) FROM scan_invitations WHERE round_id = r.id AND responded = 1) "
        f"FROM scan_rounds r WHERE r.id = '{rid}'")[0]
    assert int(responded) == int(answers) == int(invited_yes), (responded, answers, invited_yes)
    ok = statuses.count(201) + statuses.count(200)
    assert ok >= 1, f"no answer was confirmed before the kill: {statuses}"
    assert int(answers) >= ok, f"{ok} answers were confirmed but only {answers} are stored"
    print(f"   scan answers killed ({ok} confirmed before the kill, {unanswered} of {len(tokens)} "
          f"still under way): {answers} stored, counts agree")


def kill_during_report_saves(server, sql):
    slb = login("slb@demo.koers.test")
    convs = [r[0] for r in sql.rows(
        "SELECT c.id FROM conversations c JOIN users u ON u.id = c.guide_id "
        "WHERE u.email = 'slb@demo.koers.test' AND c.status <> 'cancelled' "
        # A report belongs to a conversation that has started (issue 20).
        f"AND (c.starts_at IS NULL OR c.starts_at < {int(time.time() * 1000)}) ORDER BY c.id LIMIT 4")]
    stop = threading.Event()
    confirmed = {}

    def save(cid):
        k = 0
        while not stop.is_set():
            k += 1
            body = {"summary": f"kill-run-{k}", "agreements": [
                {"description": f"kill-{k}-{j}", "owner": "student"} for j in range(3)]}
            if http("PUT", f"/api/v1/conversations/{cid}/report", slb, body, timeout=10)[0] == 200:
                confirmed[cid] = k

    threads = [threading.Thread(target=save, args=(c,)) for c in convs]
    for t in threads:
        t.start()
    time.sleep(1.0)
    server.kill9()
    stop.set()
    for t in threads:
        t.join()
    server.start()
    for cid in convs:
        summary = sql.one(f"SELECT summary FROM conversations WHERE id = '{cid}'")
        agreements = sorted(r[0] for r in sql.rows(
            f"SELECT description FROM agreements WHERE conversation_id = '{cid}' AND description LIKE 'kill-%'"))
        if not summary.startswith("kill-run-"):
            assert not agreements, (cid, summary, agreements)
            continue
        k = int(summary.split("-")[-1])
        assert agreements == [f"kill-{k}-{j}" for j in range(3)], (cid, summary, agreements)
        assert k >= confirmed.get(cid, 0), f"a confirmed save was lost: {cid} {k} < {confirmed[cid]}"
    print(f"   report saves killed ({sum(confirmed.values())} confirmed): every report has the agreements of its own save")


def database_stopped(server):
    version, name = CLUSTER.split("/")
    ctl = lambda action: subprocess.run(["pg_ctlcluster", version, name, action, *(["-m", "fast"] if action == "stop" else [])], check=True)
    admin = login("beheerder@demo.koers.test")
    assert http("GET", "/api/v1/me", admin)[0] == 200
    ctl("stop")
    figures["pg_stops"] += 1
    try:
        t0 = time.time()
        first = http("GET", "/api/v1/me", admin, timeout=30)
        t_first = time.time() - t0
        t0 = time.time()
        second = http("GET", "/api/v1/users", admin, timeout=30)
        page = urllib.request.Request(BASE + "/home", headers={"Accept-Language": "nl"})
        try:
            urllib.request.urlopen(page, timeout=30)
            page_status, page_body = 200, ""
        except urllib.error.HTTPError as e:
            page_status, page_body = e.code, e.read().decode()
        t_next = time.time() - t0
        ready = http("GET", "/readyz", timeout=30)
        assert first[0] == 503 and "unavailable" in first[1], first
        assert second[0] == 503 and page_status == 503, (second, page_status)
        assert "niet bereiken" in page_body, page_body[:300]
        assert ready[0] == 503 and "database" in ready[1], ready
        assert t_next < 1.0, f"later requests must fail fast: {t_next:.2f} s"
        print(f"   PostgreSQL stopped: first request 503 after {t_first:.2f} s, the next two in {t_next:.3f} s; /readyz: {ready[1]}")
    finally:
        ctl("start")
    t0 = time.time()
    while time.time() - t0 < 60:
        if http("GET", "/api/v1/me", admin, timeout=5)[0] == 200:
            break
        time.sleep(0.5)
    else:
        raise SystemExit("Koers did not recover after PostgreSQL came back")
    assert http("GET", "/readyz")[0] == 200
    print(f"   PostgreSQL back: Koers answered again after {time.time() - t0:.1f} s, without a restart")


def fill_up(path):
    """Write `path` until its filesystem is full. Unbuffered: a buffered file would raise
    ENOSPC again when it is closed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        block = b"\0" * 65536
        while True:
            try:
                if os.write(fd, block) == 0:
                    break
            except OSError:
                if len(block) == 1:
                    break
                block = block[: len(block) // 2]
    finally:
        os.close(fd)


def import_on_a_full_disk(admin, sql, filler, prefix):
    """Fill the disk, import: 507 storage-full and nothing written. Free the room, import
    again: it works, without a restart."""
    fill_up(filler)
    figures["disk_full"] += 1
    count = f"SELECT COUNT(*) FROM students WHERE student_number LIKE '{prefix}%'"
    s, b = http("POST", "/api/v1/students/import", admin, import_csv(prefix, 40000), "text/csv", timeout=300)
    assert s == 507, (s, b[:300])
    assert json.loads(b)["error"]["code"] == "storage-full", b[:300]
    os.remove(filler)
    assert int(sql.one(count)) == 0
    s, b = http("POST", "/api/v1/students/import", admin, import_csv(prefix, 500), "text/csv", timeout=300)
    assert s == 200, (s, b[:300])
    assert int(sql.one(count)) == 500


def disk_full(log):
    """SQLite on a small filesystem that fills up: a clear 507, nothing half-written, no
    corruption, and Koers works again once there is room, without a restart."""
    print("== faults: disk full (SQLite on a 48 MB filesystem)")
    mnt = tempfile.mkdtemp(prefix="koers-full-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mnt],
                      capture_output=True).returncode != 0:
        print("   skipped: this machine cannot mount a small filesystem (see docs/security.md)")
        return
    server = None
    try:
        data = os.path.join(mnt, "data")
        server = Server(["--data-dir", data], log)
        server.start(demo=True)
        admin = login("beheerder@demo.koers.test")
        filler = os.path.join(mnt, "filler")
        sql = Sql(sqlite_path=os.path.join(data, "koers.db"))
        import_on_a_full_disk(admin, sql, filler, "K7")
        server.stop()
        assert sql.one("PRAGMA integrity_check") == "ok"
        print("   disk full: the import answered 507 storage-full and wrote nothing; with room again the "
              "next import worked without a restart; integrity_check: ok")
    finally:
        if server:
            server.stop()
        subprocess.run(["umount", mnt])


def pg_disk_full(log):
    """PostgreSQL with its database on a small filesystem (a tablespace) that fills up: a clear
    507, nothing half-written, and with room again the next import works without restarting
    Koers or PostgreSQL."""
    print("== faults: disk full (PostgreSQL database in a tablespace on a 96 MB filesystem)")
    try:
        import pwd
        pg_user = pwd.getpwnam("postgres")
    except (ImportError, KeyError):
        print("   skipped: no local postgres user to own a tablespace")
        return
    mnt = tempfile.mkdtemp(prefix="koers-pgfull-")
    os.chmod(mnt, 0o755)
    opts = f"size=96m,mode=0700,uid={pg_user.pw_uid},gid={pg_user.pw_gid}"
    if subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", mnt],
                      capture_output=True).returncode != 0:
        print("   skipped: this machine cannot mount a small filesystem (see docs/security.md)")
        return
    tag = f"koers_full_{os.getpid()}"
    psql = lambda sql: subprocess.run(["psql", "-q", PG, "-c", sql], check=True, capture_output=True)
    server = None
    filler = os.path.join(mnt, "filler")
    try:
        psql(f"CREATE TABLESPACE {tag} LOCATION '{mnt}'")
        psql(f"CREATE DATABASE {tag} TABLESPACE {tag}")
        url = PG.rsplit("/", 1)[0] + "/" + tag
        server = Server(["--database-url", url], log)
        server.start(demo=True)
        admin = login("beheerder@demo.koers.test")
        # Filled as root, so PostgreSQL cannot use what is left.
        import_on_a_full_disk(admin, Sql(pg_url=url), filler, "K6")
        print("   disk full: the import answered 507 storage-full (SQLSTATE 53100) and wrote nothing; "
              "with room again the next import worked without a restart")
        new_connection_on_a_full_disk(admin, mnt, tag, filler)
    finally:
        if server:
            server.stop()
        if os.path.exists(filler):
            os.remove(filler)
        subprocess.run(["psql", "-q", PG, "-c", f"DROP DATABASE IF EXISTS {tag} WITH (FORCE)"],
                       capture_output=True)
        subprocess.run(["psql", "-q", PG, "-c", f"DROP TABLESPACE IF EXISTS {tag}"], capture_output=True)
        subprocess.run(["umount", mnt])


def new_connection_on_a_full_disk(admin, mnt, tag, filler):
    """A new PostgreSQL connection on a full disk must write the relation-cache file first and
    ends with a FATAL "could not write init file" (no disk-full SQLSTATE): still a clear 507,
    and Koers works again once there is room."""
    for root, _, files in os.walk(mnt):
        if "pg_internal.init" in files:
            os.remove(os.path.join(root, "pg_internal.init"))
    fill_up(filler)
    figures["disk_full"] += 1
    subprocess.run(["psql", "-q", PG, "-c",
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{tag}'"],
                   check=True, capture_output=True)
    s, b = http("GET", "/api/v1/me", admin)
    assert s == 507, (s, b[:300])
    assert json.loads(b)["error"]["code"] == "storage-full", b[:300]
    os.remove(filler)
    s, b = http("GET", "/api/v1/me", admin)
    assert s == 200, (s, b[:300])
    print("   disk full at a new connection (PostgreSQL cannot write its cache file): 507 "
          "storage-full; with room again Koers answered without a restart")


def run(label, db_args, sql, log):
    print(f"== faults on {label}")
    server = Server(db_args, log)
    server.start(demo=True)
    try:
        admin = login("beheerder@demo.koers.test")
        kill_during_import(server, sql, admin)
        kill_during_scan_answers(server, sql)
        kill_during_report_saves(server, sql)
        if label == "PostgreSQL" and CLUSTER:
            database_stopped(server)
        if sql.sqlite_path:
            check = sql.one("PRAGMA integrity_check")
            assert check == "ok", check
            print("   SQLite integrity_check: ok")
    finally:
        server.stop()


def main():
    work = tempfile.mkdtemp(prefix="koers-faults-")
    log = open(os.path.join(work, "server.log"), "w")
    try:
        disk_full(log)
        if PG and CLUSTER:
            pg_disk_full(log)
        data = os.path.join(work, "data")
        run("SQLite", ["--data-dir", data], Sql(sqlite_path=os.path.join(data, "koers.db")), log)
        if PG:
            db = f"koers_faults_{os.getpid()}"
            subprocess.run(["psql", "-q", PG, "-c", f"CREATE DATABASE {db}"], check=True)
            url = PG.rsplit("/", 1)[0] + "/" + db
            try:
                run("PostgreSQL", ["--database-url", url], Sql(pg_url=url), log)
            finally:
                subprocess.run(["psql", "-q", PG, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
    except BaseException:
        log.flush()
        print(open(os.path.join(work, "server.log")).read()[-4000:])
        raise
    print(f"faults: {figures['kills']} kill -9, {figures['pg_stops']} PostgreSQL stop, "
          f"{figures['disk_full']} disk full, {figures['lost']} committed writes lost")


main()

"""Misbehaving clients for bench/soak.sh: connections that send nothing,
half a request head, a body that stalls, a request and no reading, or that
are opened and dropped at once; 24 of them at a time until the deadline.
Only the standard library."""
import random
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
DEADLINE = time.time() + float(sys.argv[2])
counts = {}
lock = threading.Lock()


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=60)
    s.settimeout(60)
    return s


def silent(s):
    time.sleep(random.uniform(0, 3))


def half_head(s):
    s.sendall(b"GET /users/me HTTP/1.1\r\nhost: x\r\nauthor")
    time.sleep(random.uniform(1, 5))


def stalled_body(s):
    s.sendall(b"POST /token HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\nusername=")
    # The server answers 408 after its body read timeout (30 s) or we leave first.
    s.recv(4096) if random.random() < 0.2 else time.sleep(random.uniform(1, 5))


def no_read(s):
    s.sendall(b"GET /keys/header HTTP/1.1\r\nhost: x\r\nx-api-key: k\r\n\r\n" * 20)


def dropped(s):
    pass


def garbage(s):
    s.sendall(bytes(random.getrandbits(8) for _ in range(random.randint(1, 300))))
    time.sleep(0.5)


BEHAVIOURS = [silent, half_head, stalled_body, no_read, dropped, garbage]


def client():
    while time.time() < DEADLINE:
        behaviour = random.choice(BEHAVIOURS)
        try:
            s = connect()
            try:
                behaviour(s)
            finally:
                s.close()
        except OSError:
            pass
        with lock:
            counts[behaviour.__name__] = counts.get(behaviour.__name__, 0) + 1


threads = [threading.Thread(target=client, daemon=True) for _ in range(24)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("misbehaving connections:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

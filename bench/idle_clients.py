"""Opens N keep-alive connections to 127.0.0.1:PORT, sends one request on
each, reads its answer, and keeps them all open (idle) until told to stop
(stdin closes). Prints "ready N" when every connection has its answer.
Used by idle.sh; standard library only."""

import asyncio
import sys

REQUEST = b"GET /plaintext HTTP/1.1\r\nHost: bench\r\n\r\n"


async def one(port, opened):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(REQUEST)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    opened.append(writer)


async def main(port, count):
    opened = []
    # In batches, so that the listen backlog is never the limit.
    for start in range(0, count, 500):
        await asyncio.gather(*(one(port, opened) for _ in range(min(500, count - start))))
    print(f"ready {len(opened)}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for writer in opened:
        writer.close()


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))

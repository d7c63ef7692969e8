"""Echo server on CPython Curio 1.6, the peer of the project's echo server in run.sh.

Usage: python3 curio_echo.py CURIO_SOURCE_DIR PORT [socket|stream]

CURIO_SOURCE_DIR is the directory holding the ``curio`` package (a Curio 1.6 checkout);
it is put first on sys.path so that exactly that Curio is measured. The socket form is the
tutorial's echo client loop on a socket; the stream form reads through ``as_stream()``.
Both serve 127.0.0.1 only, with a listen backlog of 1024 as every server run.sh compares.
"""
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    import curio

    port = int(sys.argv[2])
    form = sys.argv[3] if len(sys.argv) == 4 else 'socket'

    async def socket_echo(client, addr):
        while True:
            data = await client.recv(100000)
            if not data:
                break
            await client.sendall(data)

    async def stream_echo(client, addr):
        s = client.as_stream()
        while True:
            data = await s.read(100000)
            if not data:
                break
            await s.write(data)

    handler = {'socket': socket_echo, 'stream': stream_echo}[form]
    print('curio', curio.__version__, 'from', curio.__file__, form, 'form on port', port, flush=True)
    curio.run(curio.tcp_server('127.0.0.1', port, handler, backlog=1024))


if __name__ == '__main__':
    main()

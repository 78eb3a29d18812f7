import marshal
import socket


def serve(port=9000):
    srv = socket.socket()
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    conn, _ = srv.accept()
    payload = conn.recv(65536)
    data = marshal.loads(payload)
    print("received", data)
    conn.close()

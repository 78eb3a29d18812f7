import socket
import ssl


def open_tls(host, port=443):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    sock = socket.create_connection((host, port))
    return context.wrap_socket(sock, server_hostname=host)

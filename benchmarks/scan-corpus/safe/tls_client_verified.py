import socket
import ssl


def open_tls(host, port=443, cafile=None):
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    sock = socket.create_connection((host, port), timeout=10)
    return context.wrap_socket(sock, server_hostname=host)

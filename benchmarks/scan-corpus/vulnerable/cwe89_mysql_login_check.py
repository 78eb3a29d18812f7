import mysql.connector
from flask import Flask, request

app = Flask(__name__)


def check_login(username, password):
    db = mysql.connector.connect(host="localhost", user="app", database="site")
    cursor = db.cursor()
    sql = "SELECT COUNT(*) FROM accounts WHERE user = '" + username + "' AND pass_hash = SHA2('" + password + "', 256)"
    cursor.execute(sql)
    (count,) = cursor.fetchone()
    db.close()
    return count == 1


@app.route("/login", methods=["POST"])
def login():
    ok = check_login(request.form["username"], request.form["password"])
    return ("welcome", 200) if ok else ("denied", 401)

"""The real app plus a bare endpoint, for the page load benchmark (never deployed)."""

from casework import create_app

app = create_app()


@app.get("/bench/hello")
def hello():
    return "hello"

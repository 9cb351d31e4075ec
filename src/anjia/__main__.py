from anjia.cli import app

app()

from pathlib import Path
from fastapi import FastAPI

app = FastAPI()
NOTES = Path("/srv/notes")


@app.get("/notes/{note_name}")
def read_note(note_name: str):
    note = NOTES / note_name
    return {"name": note_name, "text": note.read_text()}

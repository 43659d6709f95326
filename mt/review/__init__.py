"""`mt review`: a local web page where a translator checks a release's drafts beside
the Kazakh source, fixes sentences (they go into the translation memory as human
translations) and accepts proposed glossary names. `session` holds the state and the
two changes; `app` is the Starlette app; `server` binds and runs it with uvicorn."""

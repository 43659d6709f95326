"""Glossaries: translator-maintained terminology (store), matched in inflected Kazakh
(match, morphology), enforced and verified in the output (enforce, verify), and
proposed for names without an entry (translit)."""

from mt.glossary.store import Glossary, Problem, check, default_glossary_dir, load_glossary

__all__ = ["Glossary", "Problem", "check", "default_glossary_dir", "load_glossary"]

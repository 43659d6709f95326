# One-off: builds tests/data/qa/ from the founding release (kept out of the project).
from pathlib import Path

C = Path("corpora/press-releases/aktobe-germany-2025")
Q = Path("tests/data/qa")
src = (C / "segments.kk").read_text().split("\n")[:-1]
refs = {l: (C / f"segments.{l}").read_text().split("\n")[:-1] for l in ("en", "de", "ru")}
contact = {
    "kk": "Толық ақпарат облыс әкімдігінің сайтында: https://www.gov.kz/memleket/entities/aktobe, БАҚ өкілдері үшін: press@aktobe.example.kz.",
    "en": "More information is on the regional akimat's website: https://www.gov.kz/memleket/entities/aktobe; media enquiries: press@aktobe.example.kz.",
    "de": "Weitere Informationen bietet die Website des Gebietsakimats: https://www.gov.kz/memleket/entities/aktobe; Presseanfragen: press@aktobe.example.kz.",
    "ru": "Подробная информация на сайте акимата области: https://www.gov.kz/memleket/entities/aktobe, для представителей СМИ: press@aktobe.example.kz.",
}
(Q / "release.kk").write_text("\n".join(src + [contact["kk"]]) + "\n")
clean = {l: refs[l] + [contact[l]] for l in refs}
for l in clean:
    (Q / f"release.{l}").write_text("\n".join(clean[l]) + "\n")

def plant(lang, seg, check, old, new):
    line = faulty[lang][seg]
    assert old in line, (lang, seg, old)
    faulty[lang][seg] = line.replace(old, new)
    planted.append((lang, seg, check, f"{old!r} -> {new!r}"))

faulty = {l: list(v) for l, v in clean.items()}
planted = []
# en
plant("en", 17, "empty", faulty["en"][17], "")
plant("en", 15, "untranslated", faulty["en"][15], src[15])
plant("en", 8, "script", "They introduce advanced technologies", "Они внедряют advanced technologies")
plant("en", 5, "numbers", "USD 2.2 million", "USD 2,2 million")
plant("en", 20, "links", "press@aktobe.example.kz", "press@aktobe-example.kz")
plant("en", 11, "glossary", "Ulrich Kinne", "Ulrich Kine")
plant("en", 10, "quotes", '"We see', "«We see")
plant("en", 14, "repetition", "also took part in the meeting", "also took part in the meeting of the meeting of the meeting of the meeting")
plant("en", 3, "length", faulty["en"][3], '"Kazakhstan and Germany.')
plant("en", 2, "punctuation", "strategic importance.", "strategic importance")
# de
plant("de", 9, "language", faulty["de"][9], "The head of the region expressed confidence that this visit of the German delegation would mark a new stage in the development of bilateral ties.")
plant("de", 6, "numbers", "5,8 Mio. US-Dollar", "5.8 Mio. US-Dollar")
plant("de", 5, "numbers", "2025", "2024")
plant("de", 10, "quotes", "„Wir sehen", '"Wir sehen')
plant("de", 20, "links", " https://www.gov.kz/memleket/entities/aktobe;", "")
plant("de", 19, "untranslated", "Schanga-Älschan", "Жаңа-Әлжан")
plant("de", 7, "script", "Linde", "Линде")
plant("de", 16, "repetition", "Industrie, Ökologie", "Industrie, Industrie, Industrie, Industrie, Industrie, Ökologie")
# ru
plant("ru", 12, "untranslated", "Актюбинская область", "Ақтөбе облысы")
plant("ru", 15, "script", faulty["ru"][15], "Each of them spoke about the lines of their business.")
plant("ru", 6, "numbers", "5,8 млн", "5,8")
plant("ru", 13, "glossary", "Ульрих Кинне", "Ульрих Кинни")
plant("ru", 4, "quotes", "ежегодно растёт»", 'ежегодно растёт"')
plant("ru", 16, "length", faulty["ru"][16], faulty["ru"][16] + " " + faulty["ru"][16] + " " + faulty["ru"][14])
plant("ru", 1, "punctuation", "Ульрихом Кинне.", "Ульрихом Кинне?")
plant("ru", 18, "empty", faulty["ru"][18], "   ")
for l in faulty:
    (Q / f"faulty.{l}").write_text("\n".join(faulty[l]) + "\n")
with open(Q / "planted.tsv", "w") as f:
    f.write("lang\tsegment\tcheck\tchange\n")
    for row in planted:
        f.write("\t".join(map(str, row)) + "\n")

"""Regenerate the bad-input corpus: ``python tests/bad_inputs/make_corpus.py``.

Every file is a small contacts export (``.csv`` / ``.xlsx``) breaking one rule; the
expected outcome of each is asserted in ``tests/test_bad_inputs.py``.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
H = "contact_id,channel,received_at,answered,wait_s,talk_s"
OK1 = "c1,phone,2024-03-01 09:00:00,true,12,100"
OK2 = "c2,email,2024-03-01 10:00:00,false,,"


def csv(*rows: str, header: str = H) -> str:
    return "\n".join([header, *rows]) + "\n"


TEXT: dict[str, str] = {
    "01_clean.csv": csv(OK1, OK2),
    "02_semicolon.csv": csv(OK1, OK2).replace(",", ";"),
    "03_tab.csv": csv(OK1, OK2).replace(",", "\t"),
    "04_pipe.csv": csv(OK1, OK2).replace(",", "|"),
    "05_decimal_comma.csv": H.replace(",", ";") + "\nc1;phone;2024-03-01 09:00:00;true;12,5;100,25\n",
    "06_header_on_row_3.csv": "Export CRM\nPériode : mars 2024\n" + csv(OK1, OK2),
    "07_missing_channel.csv": csv("c1,2024-03-01 09:00:00,true,12,100",
                                  header="contact_id,received_at,answered,wait_s,talk_s"),
    "08_missing_everything.csv": "foo,bar\n1,2\n",
    "09_duplicated_ids.csv": csv(OK1, OK2, "c1,phone,2024-03-02 09:00:00,true,5,10"),
    "10_negative_wait.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,-5,10"),
    "11_negative_talk.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,5,-10"),
    "12_absurd_talk.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,5,100000"),
    "13_absurd_wait_phone.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,90000,10"),
    "14_answered_without_wait.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,,10"),
    "15_chat_answered_without_wait.csv": csv(OK1, "c3,chat,2024-03-01 09:00:00,oui,,10"),
    "16_future_date.csv": csv(OK1, "c3,phone,2099-03-01 09:00:00,true,5,10"),
    "17_unparseable_date.csv": csv(OK1, "c3,phone,hier matin,true,5,10"),
    "18_impossible_date.csv": csv(OK1, "c3,phone,31/02/2024 09:00,true,5,10"),
    "19_mixed_date_formats.csv": csv("c1,phone,2024-03-01T09:00:00,true,5,10", "c2,phone,02/03/2024 09:00,true,5,10",
                                     "c3,phone,03/03/2024,true,5,10", "c4,phone,2024-03-04 09:00,true,5,10"),
    "20_unknown_channel.csv": csv(OK1, "c3,fax,2024-03-01 09:00:00,true,5,10"),
    "21_bad_boolean.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,peut-être,5,10"),
    "22_french_booleans.csv": csv("c1,tel,2024-03-01 09:00:00,Oui,5,10", "c2,Téléphone,2024-03-01 09:00:00,NON,5,",
                                  "c3,voice,2024-03-01 09:00:00,vrai,5,10", "c4,courriel,2024-03-01 09:00:00,faux,,"),
    "23_empty.csv": "",
    "24_whitespace_only.csv": "  \n\n \r\n",
    "25_header_only.csv": H + "\n",
    "26_huge_text_field.csv": csv("c1,phone,2024-03-01 09:00:00,true,5,10", header=H) .replace(
        "10\n", "10,\"" + "blabla " * 20000 + "\"\n").replace(H, H + ",comment"),
    "27_formula_injection.csv": csv(OK1, '"=HYPERLINK(""http://evil"",""x"")",phone,2024-03-01 09:00:00,true,-1,0'),
    "28_missing_id.csv": csv(OK1, ",phone,2024-03-01 09:00:00,true,5,10"),
    "29_missing_date.csv": csv(OK1, "c3,phone,,true,5,10"),
    "30_clock_durations.csv": csv("c1,phone,2024-03-01 09:00:00,true,00:00:45,0:05:30", "c2,phone,2024-03-01 09:00:00,true,1:15,2:00"),
    "31_bad_duration.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,quarante,10"),
    "32_blank_lines.csv": H + "\n\n" + OK1 + "\n;;;\n\n" + "c3,phone,2024-03-01 09:00:00,true,-1,10\n",
    "33_extra_field.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,5,10,surplus"),
    "34_french_headers.csv": ("N° appel;Canal;Date d'appel;Décroché;Durée d'attente (s);Durée de communication;"
                              "Mise en attente;Post-appel;Conseiller;Motif;Pays\n"
                              "A1;Téléphone;01/03/2024 09:00;Oui;12;180;10;30;Léa;Facture;FR\n"),
    "35_quoted_newline.csv": H + ",comment\n" + OK1 + ",\"ligne 1\nligne 2\"\n" + "c3,phone,2024-03-01 09:00:00,true,-1,10,x\n",
    "36_duplicated_header_alias.csv": "ID;Canal;Date/heure;Répondu;Attente;Temps d'attente\nx;tel;01/03/2024 09:00;1;5;7\n",
    "37_nan_inf_numbers.csv": csv(OK1, "c3,phone,2024-03-01 09:00:00,true,inf,10", "c4,phone,2024-03-01 09:00:00,true,nan,10"),
    "38_timezone_suffix.csv": csv("c1,phone,2024-03-01T09:00:00+01:00,true,5,10", "c2,phone,2024-03-01T09:00:00Z,true,5,10"),
}
BYTES: dict[str, bytes] = {
    "39_cp1252.csv": ("N° appel;Canal;Date d'appel;Décroché;Durée d'attente (s);Motif\n"
                      "1;Téléphone;01/03/2024 09:00;Oui;10;Réclamation\n").encode("cp1252"),
    "40_utf8_bom.csv": b"\xef\xbb\xbf" + csv(OK1, OK2).encode(),
    "41_binary_named_csv.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "42_non_utf8_bytes.csv": csv(OK1).encode() + b"c3,phone,2024-03-01 09:00:00,true,5,10\x81\x8d\n",
    "43_utf16.csv": csv(OK1).encode("utf-16"),
    "44_zip_named_csv.csv": b"PK\x03\x04" + b"\x00" * 40,
    "45_crlf.csv": csv(OK1, OK2).replace("\n", "\r\n").encode(),
}


def _xlsx() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.merge_cells("A1:F1")
    ws["A1"] = "Rapport mensuel des appels — fusionné"
    ws.append([])
    ws.append(["ID appel", "Canal", "Date/heure", "Répondu", "Temps d'attente", "Temps de conversation"])
    ws.append(["x1", "tel", "01/03/2024 09:00", "oui", 15, 60])
    ws.append(["x2", "tel", "01/03/2024 09:10", "oui", None, 60])
    ws.merge_cells("A6:B6")
    ws["A6"] = "x3"
    ws.append([])
    wb.save(HERE / "46_merged_cells_title.xlsx")

    wb = openpyxl.Workbook()
    wb.active.append(["ID appel", "Date/heure"])
    wb.active.append(["x1", "01/03/2024 09:00"])
    wb.save(HERE / "47_xlsx_missing_columns.xlsx")

    wb = openpyxl.Workbook()
    wb.save(HERE / "48_xlsx_empty.xlsx")


def main() -> None:
    for name, text in TEXT.items():
        (HERE / name).write_bytes(text.encode("utf-8"))
    for name, data in BYTES.items():
        (HERE / name).write_bytes(data)
    (HERE / "49_fake.xlsx").write_bytes(b"this is not a workbook\n")
    _xlsx()


if __name__ == "__main__":
    main()

"""Writes the address-book fixtures of this folder (run it again after changing the rows).

    .venv/bin/python tests/data/real_exports/build_fixtures.py

Each file follows its format's public header list and its own habits (see SOURCES.md); the
people, firms and numbers are invented (555-01xx numbers, example.* domains). Most rows are
clean; ``planted.json`` lists the rows that carry a planted problem and the rule that must
report each, and the rows that are clean.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

OUTLOOK_HEADER = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
    "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
    "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3",
    "Home City", "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2",
    "Other Street 3", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
    "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
    "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax",
    "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Account",
    "Anniversary", "Assistant's Name", "Billing Information", "Birthday", "Business Address PO Box",
    "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
    "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type",
    "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
    "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
    "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private",
    "Profession", "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
]  # fmt: skip

GOOGLE_HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name",
    "Organization Title", "Organization Department", "Birthday", "Notes", "Photo", "Labels",
    "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
    "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value",
    "Phone 3 - Label", "Phone 3 - Value",
    "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
    "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
    "Address 1 - Extended Address",
    "Address 2 - Label", "Address 2 - Formatted", "Address 2 - Street", "Address 2 - City",
    "Address 2 - PO Box", "Address 2 - Region", "Address 2 - Postal Code", "Address 2 - Country",
    "Address 2 - Extended Address",
    "Website 1 - Label", "Website 1 - Value",
]  # fmt: skip

GOOGLE_OLD_HEADER = [
    "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
    "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials", "Nickname",
    "Short Name", "Maiden Name", "Birthday", "Gender", "Location", "Billing Information",
    "Directory Server", "Mileage", "Occupation", "Hobby", "Sensitivity", "Priority", "Subject", "Notes",
    "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type", "E-mail 2 - Value",
    "Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value", "Phone 3 - Type",
    "Phone 3 - Value", "Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street",
    "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
    "Address 1 - Country", "Address 1 - Extended Address", "Address 2 - Type", "Address 2 - Formatted",
    "Address 2 - Street", "Address 2 - City", "Address 2 - PO Box", "Address 2 - Region",
    "Address 2 - Postal Code", "Address 2 - Country", "Address 2 - Extended Address",
    "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Yomi Name",
    "Organization 1 - Title", "Organization 1 - Department", "Organization 1 - Symbol",
    "Organization 1 - Location", "Organization 1 - Job Description", "Website 1 - Type",
    "Website 1 - Value",
]  # fmt: skip

PEOPLE = [
    ("José", "Luis", "Núñez", "Núñez & Partners LLP", "Managing Partner"),
    ("Zoë", "", "Müller", "Alpine Freight Ltd", "Controller"),
    ("François", "", "Lefèvre", "", ""),
    ("Ann", "M.", "Lee", "Harbour Dental Group", "Office Manager"),
    ("Omar", "", "Haddad", "Cedar Imports Inc.", "Owner"),
    ("Li", "", "Chen", "", ""),
    ("Mary", "Kate", "O'Brien", "O'Brien Bakery", "Owner"),
    ("Rahul", "", "Mehta", "Mehta Engineering Corp.", "President"),
    ("Grace", "", "Okafor", "Lagos Textiles Ltd", "Director"),
    ("Sven", "", "Lindqvist", "", ""),
    ("Chloé", "", "Dubois", "Dubois Architecture", "Principal"),
    ("Kenji", "", "Watanabe", "Pacific Rim Trading", "Buyer"),
    ("Fatima", "", "Zahra", "", ""),
    ("Patrick", "J.", "Kelly", "Kelly & Sons Roofing", "Estimator"),
    ("Isabela", "", "Costa", "Costa Vineyards", "Winemaker"),
    ("Dmitri", "", "Volkov", "Northern Logistics LLC", "Dispatcher"),
    ("Hannah", "", "Schmidt", "", ""),
    ("Tomás", "", "Álvarez", "Álvarez Tile Co.", "Foreman"),
    ("Priya", "", "Nair", "Lotus Health Clinic", "Physician"),
    ("Ewan", "", "MacLeod", "Highland Outfitters", "Manager"),
    ("Amara", "", "Diallo", "", ""),
    ("Lucas", "", "Bernard", "Bernard Legal Translations", "Translator"),
    ("Noor", "", "Rahman", "Crescent Pharmacy", "Pharmacist"),
    ("Olga", "", "Petrova", "", ""),
    ("Marcus", "", "Johnson", "Johnson Auto Body", "Owner"),
    ("Yuki", "", "Tanaka", "", ""),
    ("Ingrid", "", "Berg", "Fjord Seafood AS", "Sales Lead"),
]
COMPANIES_ONLY = ["Maple Leaf Holdings Inc.", "Riverside Community Trust"]
CITIES = [
    ("Toronto", "ON", "M5V 2T6", "Canada", "416"),
    ("Chicago", "IL", "60601", "United States", "312"),
    ("Boston", "MA", "02108", "United States", "617"),
    ("Vancouver", "BC", "V6B 1A1", "Canada", "604"),
    ("Denver", "CO", "80202", "United States", "303"),
]


def email_of(first: str, last: str, domain: str) -> str:
    plain = (first + "." + last).lower()
    for a, b in (("é", "e"), ("ë", "e"), ("è", "e"), ("ç", "c"), ("ñ", "n"), ("ú", "u"), ("ü", "u"),
                 ("á", "a"), ("'", ""), ("ö", "o")):  # fmt: skip
        plain = plain.replace(a, b)
    return f"{plain}@{domain}"


def phone(area: str, n: int, style: str) -> str:
    # Each kind of number is n's hundred (the area code moves up by it), so no two contacts share
    # a number by accident: a shared number is evidence of the same person (or a shared line).
    area = f"{int(area) + n // 100}"
    line = f"01{n % 100:02d}"
    return f"({area}) 555-{line}" if style == "paren" else f"+1 {area}-555-{line}"


def outlook_rows() -> tuple[list[dict[str, str]], dict[str, object]]:
    rows = []
    for i, (first, middle, last, company, job) in enumerate(PEOPLE):
        city, state, postal, country, area = CITIES[i % len(CITIES)]
        row = dict.fromkeys(OUTLOOK_HEADER, "")
        mail = email_of(first, last, "example.com")
        row.update(
            {
                "Title": "Dr." if i % 7 == 3 else ("Ms." if i % 3 == 1 else ""),
                "First Name": first, "Middle Name": middle, "Last Name": last, "Company": company,
                "Job Title": job, "E-mail Address": mail, "E-mail Type": "SMTP",
                "E-mail Display Name": f"{first} {last} ({mail})",
                "Anniversary": "0/0/00", "Birthday": "0/0/00" if i % 4 else "5/14/1978",
                "Gender": "Unspecified", "Initials": f"{first[0]}.{last[0]}.", "Priority": "Normal",
                "Private": "False", "Sensitivity": "Normal",
                "Mobile Phone": phone(area, i + 200, "paren") if i % 2 == 0 else "",
                "Categories": "Clients" if company else "Referrals",
            }
        )  # fmt: skip
        if company:
            row.update(
                {
                    "Business Street": f"{100 + i} King Street West", "Business City": city,
                    "Business State": state, "Business Postal Code": postal, "Business Country/Region": country,
                    "Business Phone": phone(area, i, "paren"), "Business Fax": phone(area, i + 300, "paren"),
                }
            )  # fmt: skip
            if i % 3 == 0:
                row["Business Street 2"] = f"Suite {200 + i}"
                row["Business Phone 2"] = phone(area, i + 100, "paren")
        else:
            row.update(
                {
                    "Home Street": f"{12 + i} Elm Avenue", "Home City": city, "Home State": state,
                    "Home Postal Code": postal, "Home Country/Region": country,
                    "Home Phone": phone(area, i + 400, "paren"),
                }
            )  # fmt: skip
        if i % 5 == 0:
            row.update(
                {"Other Street": f"{3 + i} Lakeshore Road", "Other City": "Kingston", "Other State": "ON"}
            )
        if i % 6 == 2:
            second = email_of(first, last, "mail.example.org")
            row.update({"E-mail 2 Address": second, "E-mail 2 Type": "SMTP", "E-mail 2 Display Name": second})
        if i % 8 == 1:
            row["Notes"] = "Met at the bar association dinner.\r\nPrefers e-mail."
        rows.append(row)
    for j, company in enumerate(COMPANIES_ONLY):
        row = dict.fromkeys(OUTLOOK_HEADER, "")
        row.update(
            {
                "Company": company, "Business Street": f"{500 + j} Bay Street", "Business City": "Toronto",
                "Business State": "ON", "Business Postal Code": "M5J 2N8", "Business Country/Region": "Canada",
                "Company Main Phone": phone("416", 90 + j, "paren"), "E-mail Address": f"info{j}@example.net",
                "E-mail Type": "SMTP", "E-mail Display Name": f"info{j}@example.net", "Anniversary": "0/0/00",
                "Birthday": "0/0/00", "Gender": "Unspecified", "Priority": "Normal", "Private": "False",
                "Sensitivity": "Normal",
            }
        )  # fmt: skip
        rows.append(row)
    clean = len(rows)
    # Planted problems, after the clean rows (row numbers count the heading as row 1).
    bad_mail = dict(rows[3])
    bad_mail.update({"First Name": "Olivia", "Last Name": "Brown", "E-mail Address": "olivia.brown@example",
                     "E-mail Display Name": "Olivia Brown", "Initials": "O.B.", "Company": "Brown Florists",
                     "Mobile Phone": "", "Business Phone": "(416) 555-0171", "Business Fax": "",
                     "Business Phone 2": ""})  # fmt: skip
    nameless = dict.fromkeys(OUTLOOK_HEADER, "")
    nameless.update({"Mobile Phone": "(312) 555-0177", "Priority": "Normal", "Private": "False",
                     "Sensitivity": "Normal", "Anniversary": "0/0/00", "Birthday": "0/0/00"})  # fmt: skip
    duplicate = dict(rows[6])
    rows += [bad_mail, nameless, duplicate]
    planted = {
        "invalid-email": [clean + 2],
        "nameless-contact": [clean + 3],
        "possible-duplicate": [clean + 4],
    }
    return rows, {"clean_rows": list(range(2, clean + 2)), "planted": planted}


def google_rows(old: bool) -> tuple[list[dict[str, str]], dict[str, object]]:
    header = GOOGLE_OLD_HEADER if old else GOOGLE_HEADER
    kind = "Type" if old else "Label"
    rows = []
    for i, (first, middle, last, company, job) in enumerate(PEOPLE):
        city, state, postal, country, area = CITIES[(i + 2) % len(CITIES)]
        row = dict.fromkeys(header, "")
        mail = email_of(first, last, "example.org")
        labels = (
            "* myContacts ::: Clients"
            if company
            else ("* myContacts ::: * starred" if i % 2 else "* myContacts")
        )
        street = f"{20 + i} Queen Street"
        formatted = f"{street}\n{city}, {state} {postal}\n{country}"
        names = (
            {"Name": " ".join(p for p in (first, middle, last) if p), "Given Name": first, "Additional Name": middle,
             "Family Name": last, "Group Membership": labels, "Organization 1 - Name": company,
             "Organization 1 - Title": job}
            if old
            else {"First Name": first, "Middle Name": middle, "Last Name": last, "Labels": labels,
                  "Organization Name": company, "Organization Title": job}
        )  # fmt: skip
        row.update(names)
        row.update(
            {
                "Birthday": "--03-07" if i % 3 == 0 else ("1981-11-23" if i % 3 == 1 else ""),
                f"E-mail 1 - {kind}": "* Work" if company else "* Home", "E-mail 1 - Value": mail,
                f"Phone 1 - {kind}": "Mobile", "Phone 1 - Value": phone(area, i + 100, "plus"),
                f"Address 1 - {kind}": "Work" if company else "Home", "Address 1 - Formatted": formatted,
                "Address 1 - Street": street, "Address 1 - City": city, "Address 1 - Region": state,
                "Address 1 - Postal Code": postal, "Address 1 - Country": country,
            }
        )  # fmt: skip
        if company:
            row.update({f"Phone 2 - {kind}": "Work", "Phone 2 - Value": phone(area, i + 200, "plus")})
        if i % 4 == 1:
            row.update({f"Phone 3 - {kind}": "Work Fax", "Phone 3 - Value": phone(area, i + 300, "plus")})
        if i % 5 == 2:
            second = email_of(first, last, "mail.example.net")
            row.update({f"E-mail 2 - {kind}": "Other", "E-mail 2 - Value": second})
        if i % 6 == 4:
            # Two numbers under one label, in one cell: Google's own way.
            row.update(
                {f"Phone 2 - {kind}": "Home", "Phone 2 - Value": f"({area}) 555-0161 ::: ({area}) 555-0162"}
            )
        if i % 7 == 5:
            row.update({"E-mail 1 - Value": f"{mail} ::: {email_of(first, last, 'example.net')}"})
        if i % 5 == 0 and company:
            row.update(
                {
                    f"Address 2 - {kind}": "Home", "Address 2 - Street": f"{7 + i} Birch Lane",
                    "Address 2 - City": "Oakville", "Address 2 - Region": "ON", "Address 2 - Postal Code": "L6J 1H4",
                    "Address 2 - Country": "Canada",
                    "Address 2 - Formatted": f"{7 + i} Birch Lane\nOakville, ON L6J 1H4\nCanada",
                }
            )  # fmt: skip
        if i % 8 == 3:
            row["Notes"] = "Referred by the Lee family.\nCall after 4 pm."
        rows.append(row)
    clean = len(rows)
    bad_mail = dict(rows[4])
    bad_mail.update({("Given Name" if old else "First Name"): "Olivia",
                     ("Family Name" if old else "Last Name"): "Brown",
                     "E-mail 1 - Value": "olivia.brown@@example.org"})  # fmt: skip
    if old:
        bad_mail["Name"] = "Olivia Brown"
    nameless = dict.fromkeys(header, "")
    nameless.update({f"Phone 1 - {kind}": "Mobile", "Phone 1 - Value": "+1 303-555-0188",
                     ("Group Membership" if old else "Labels"): "* myContacts"})  # fmt: skip
    duplicate = dict(rows[8])
    rows += [bad_mail, nameless, duplicate]
    planted = {
        "invalid-email": [clean + 2],
        "nameless-contact": [clean + 3],
        "possible-duplicate": [clean + 4],
    }
    return rows, {"clean_rows": list(range(2, clean + 2)), "planted": planted}


def write(name: str, header: list[str], rows: list[dict[str, str]], encoding: str, quote_all: bool) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[row[h] for h in header] for row in rows])
    (HERE / name).write_bytes(buf.getvalue().encode(encoding))


def main() -> None:
    manifest: dict[str, object] = {}
    rows, info = outlook_rows()
    write("outlook_contacts.csv", OUTLOOK_HEADER, rows, "cp1252", quote_all=True)
    manifest["outlook_contacts.csv"] = info
    rows, info = google_rows(old=False)
    write("google_contacts.csv", GOOGLE_HEADER, rows, "utf-8-sig", quote_all=False)
    manifest["google_contacts.csv"] = info
    rows, info = google_rows(old=True)
    write("google_contacts_old.csv", GOOGLE_OLD_HEADER, rows, "utf-8-sig", quote_all=False)
    manifest["google_contacts_old.csv"] = info
    (HERE / "planted.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

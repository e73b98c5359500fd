"""The proofreader's desk (校对): what changed between two drafts, marked on the page.

Works on display lists only (DESIGN.md: proof sits beside render): `text` reads each
story back as set, `diff` compares two drafts character by character, `marks` makes
the proof pages (校样), `export` writes the copy out as text or Word.
"""

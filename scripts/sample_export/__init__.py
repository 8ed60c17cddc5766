"""The sample export of a fictional firm, Harbourview Legal LLP: generated, byte for byte the same.

``.venv/bin/python scripts/make_sample_export.py`` (or ``python -m scripts.sample_export``)
rewrites, byte for byte the same on every run (one fixed seed, a fixed export date,
fixed workbook timestamps):

* ``resources/samples/sample-firm/``: the export files only, named as a firm would name
  them (the app has to recognise each file's role from its headers);
* ``resources/samples/README.md``: what the files are, with every planted problem;
* ``tests/data/sample_expected_problems.json``: the planted problems, for the tests.

The generation is importable and vectorised (numpy arrays, formatting done once per
distinct value, no per-row Python loops) so ``bench/generate.py`` builds a
million-row export with the same code::

    from scripts.sample_export import BENCH_LAYOUT, build_firm, plant_problems, write_export

    firm = build_firm(n_contacts=40_000, n_matters=50_000, n_activities=1_000_000, seed=7)
    planted = plant_problems(firm, seed=7)
    write_export(firm, out_dir, BENCH_LAYOUT)

:func:`build_firm` returns clean data: every reference resolves, amounts equal hours
times rate, trust balances never go below zero, bills total their billed entries.
:func:`plant_problems` then changes a handful of known cells and says where.

The modules, in the order the data is made: :mod:`.words` (the vocabulary, from
``data/*.json``), :mod:`.vectors` (formatting and random picks), one module per entity
(:mod:`.people`, :mod:`.contacts`, :mod:`.matters`, :mod:`.activities` with
:mod:`.bills`, :mod:`.trust`, :mod:`.calendar`, :mod:`.notes`), :mod:`.firm` (all of
them), :mod:`.integrity` (the clean data's checks), :mod:`.planting`, :mod:`.files`
(writing the export), :mod:`.readme` and :mod:`.sample` (the bundled sample).
"""

from scripts.sample_export.common import HEADERS, SAMPLE_SIZES, SEED, Firm
from scripts.sample_export.files import BENCH_LAYOUT, SAMPLE_LAYOUT, FileSpec, locate, write_export
from scripts.sample_export.firm import build_firm
from scripts.sample_export.integrity import integrity_problems
from scripts.sample_export.planting import Planted, plant_problems
from scripts.sample_export.readme import sample_readme
from scripts.sample_export.sample import main, write_sample

__all__ = [
    "BENCH_LAYOUT",
    "HEADERS",
    "SAMPLE_LAYOUT",
    "SAMPLE_SIZES",
    "SEED",
    "FileSpec",
    "Firm",
    "Planted",
    "build_firm",
    "integrity_problems",
    "locate",
    "main",
    "plant_problems",
    "sample_readme",
    "write_export",
    "write_sample",
]

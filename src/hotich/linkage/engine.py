"""The linkage engine: Splink 5 on DuckDB with a Vietnamese-aware model.

Names are compared part by part (surname, middle, given) on folded text (đ → d), with term
frequency adjustment for surnames and given names; the given name has a level for "same letters,
different tone mark" apart from "letters differ"; dates may be partial (year only, year and
month), and a day/month swap or a year off by one have their own levels; birth places are
compared as today's commune after the old → new conversion. Each record of one file is then
assigned to at most one record of the other: the assignment of most total match weight inside
each group of records that compete for one another (a family's children are assigned together, so
the entry whose given name matches takes its person and a brother's entry is not pushed onto a
sister).

The same model finds duplicates inside one file (``dedupe_only``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from hotich.linkage import spark_engine

logger = logging.getLogger(__name__)
LinkType = Literal["link_only", "dedupe_only"]
Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")
SPLINK_LOG_LEVEL = logging.ERROR
MIN_LABELS = 10


@dataclass(frozen=True)
class Match:
    left_id: str
    right_id: str
    match_probability: float
    #: the log2 odds Splink computed; unlike the probability it does not round to 1.0
    match_weight: float = field(default=0.0, compare=False)


@dataclass
class LinkResult:
    matches: list[Match]
    candidate_pairs: int
    seconds: dict[str, float] = field(default_factory=dict)


# -- comparisons --------------------------------------------------------------------------------


def _null(col: str) -> dict[str, Any]:
    return {
        "sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL",
        "label_for_charts": f"{col} missing",
        "is_null_level": True,
    }


def _level(sql: str, label: str, tf: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
    return level


def _else() -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "else"}


def _jw(col: str, threshold: float, dialect: str) -> str:
    """Jaro-Winkler similarity at or above ``threshold``: DuckDB's ``jaro_winkler_similarity``,
    or on Spark the same function ported to Java (``spark_engine.JARO_WINKLER_FUNCTION``), which
    gives exactly DuckDB's values. Not the ``jaro_winkler`` of the jar Splink ships for Spark:
    it does not round the transpositions down as DuckDB does (README "Two engines")."""
    if dialect == "spark":
        function = spark_engine.JARO_WINKLER_FUNCTION
    else:
        from splink.internals.dialects import SplinkDialect

        function = SplinkDialect.from_string(dialect).jaro_winkler_function_name
    return f"{function}({col}_l, {col}_r) >= {threshold}"


def _with_priors(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Starting m probabilities (the closest level most likely among matches), used as they are
    when a training session cannot estimate them (very small files)."""
    scored = [lv for lv in levels if not lv.get("is_null_level")]
    k = len(scored)
    priors = [0.95, 0.05] if k == 2 else [0.75] + [0.23 / (k - 2)] * (k - 2) + [0.02]
    for level, prior in zip(scored, priors, strict=True):
        level.setdefault("m_probability", prior)
    return levels


def vietnamese_comparisons(dialect: str = "duckdb") -> list[Any]:
    """The model's comparisons in one SQL dialect (``duckdb`` or ``spark``): the conditions are
    plain SQL both understand (bare column names, ``=``, ``abs``, ``IS NULL``) but for the name
    of the Jaro-Winkler function."""
    from splink.internals.comparison_library import CustomComparison

    comparisons = _vietnamese_comparisons(CustomComparison, dialect)
    for c in comparisons:
        c._comparison_levels = _with_priors(c._comparison_levels)
    return comparisons


def _vietnamese_comparisons(CustomComparison: Any, dialect: str) -> list[Any]:
    return [
        CustomComparison(
            output_column_name="surname",
            comparison_levels=[
                _null("surname_f"),
                _level("surname_f_l = surname_f_r", "same surname", tf="surname_f"),
                _level(_jw("surname_f", 0.88, dialect), "surname similar"),
                _else(),
            ],
        ),
        CustomComparison(
            output_column_name="middle",
            comparison_levels=[
                _null("middle_f"),  # a dropped middle name is missing, not different
                _level("middle_f_l = middle_f_r", "same middle name"),
                _level(_jw("middle_f", 0.88, dialect), "middle name similar"),
                _else(),
            ],
        ),
        CustomComparison(
            output_column_name="given",
            comparison_levels=[
                _null("given_f"),
                _level("given_t_l = given_t_r", "same given name, same marks", tf="given_f"),
                _level(
                    "given_nt_l = given_nt_r",
                    "given name differs only by a tone mark",
                    tf="given_f",
                ),
                _level(
                    "given_f_l = given_f_r",
                    "same letters, marks missing or different",
                    tf="given_f",
                ),
                _level(_jw("given_f", 0.9, dialect), "given name differs by a letter"),
                _else(),
            ],
        ),
        CustomComparison(
            output_column_name="birth_date",
            comparison_levels=[
                _null("birth_year"),
                _level(
                    "birth_year_l = birth_year_r AND birth_month_l = birth_month_r "
                    "AND birth_day_l = birth_day_r",
                    "same full date",
                ),
                _level(
                    "birth_year_l = birth_year_r AND birth_month_l = birth_day_r "
                    "AND birth_day_l = birth_month_r",
                    "day and month swapped",
                ),
                _level(
                    "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR "
                    "birth_month_r IS NULL OR (birth_month_l = birth_month_r AND "
                    "(birth_day_l IS NULL OR birth_day_r IS NULL)))",
                    "partial date agrees",
                ),
                _level(
                    "abs(birth_year_l - birth_year_r) = 1 AND "
                    "birth_month_l = birth_month_r AND birth_day_l = birth_day_r",
                    "year off by one",
                ),
                _level("birth_year_l = birth_year_r", "same year, other day"),
                _level("abs(birth_year_l - birth_year_r) <= 1", "year off by one (partial)"),
                _else(),
            ],
        ),
        CustomComparison(
            output_column_name="sex",
            comparison_levels=[_null("sex"), _level("sex_l = sex_r", "same sex"), _else()],
        ),
        CustomComparison(
            output_column_name="birth_place",
            comparison_levels=[
                {
                    "sql_condition": "(place_code_l IS NULL OR place_code_r IS NULL) AND "
                    "(place_f_l IS NULL OR place_f_r IS NULL)",
                    "label_for_charts": "birth place missing",
                    "is_null_level": True,
                },
                _level("place_code_l = place_code_r", "same commune today"),
                _level("place_f_l = place_f_r", "same place as written"),
                _else(),
            ],
        ),
        # the parents are one comparison: a father and a mother who agree are one piece of
        # evidence (a family), not two; counted twice they outweigh a given name that differs,
        # and an entry links to a brother or sister
        CustomComparison(
            output_column_name="parents",
            comparison_levels=[
                {
                    "sql_condition": "(father_f_l IS NULL OR father_f_r IS NULL) AND "
                    "(mother_f_l IS NULL OR mother_f_r IS NULL)",
                    "label_for_charts": "parents missing",
                    "is_null_level": True,
                },
                _level(
                    "father_f_l = father_f_r AND mother_f_l = mother_f_r",
                    "same father and mother",
                ),
                _level(
                    _jw("father_f", 0.9, dialect) + " AND " + _jw("mother_f", 0.9, dialect),
                    "father and mother similar",
                ),
                _level(
                    "father_f_l = father_f_r OR mother_f_l = mother_f_r",
                    "one parent the same",
                ),
                _level(
                    _jw("father_f", 0.9, dialect) + " OR " + _jw("mother_f", 0.9, dialect),
                    "one parent similar",
                ),
                _else(),
            ],
        ),
        CustomComparison(
            output_column_name="personal_id",
            comparison_levels=[
                _null("personal_id"),
                _level("personal_id_l = personal_id_r", "same personal ID"),
                _else(),
            ],
        ),
    ]


def vietnamese_blocking() -> list[Any]:
    """Candidate pairs: every rule pins a place, a parent or a date part besides a name, so the
    pairs stay near 8 per historic entry at 100,000 × 300,000 and 48 at 1 million × 3 million,
    while together the rules hold 99.8% of the generator's true pairs (the older rules, given
    name + birth year alone, made about 100× as many pairs at that size)."""
    from splink import block_on

    return [
        block_on("given_f", "birth_year", "place_code"),
        block_on("surname_f", "middle_f", "birth_year", "place_code"),
        block_on("father_f", "mother_f"),
        block_on("surname_f", "given_f", "birth_year", "birth_month"),
        block_on("surname_f", "middle_f", "given_f", "birth_month", "birth_day"),
        # entries without parents and without a full date: the whole name with the commune,
        # or with the year
        block_on("surname_f", "middle_f", "given_f", "place_code"),
        block_on("surname_f", "middle_f", "given_f", "birth_year"),
        block_on("personal_id"),
    ]


def vietnamese_training_rules() -> list[Any]:
    from splink import block_on

    return [block_on("given_f", "birth_year", "place_code"), block_on("father_f", "mother_f")]


def plain_comparisons() -> list[Any]:
    """Plain Splink: default comparisons on the columns as written (the benchmark's baseline)."""
    import splink.comparison_library as cl

    return [
        cl.NameComparison("full_name"),
        cl.ExactMatch("birth_date"),
        cl.ExactMatch("sex"),
        cl.LevenshteinAtThresholds("birth_place", [2, 5]),
        cl.NameComparison("father_name"),
        cl.NameComparison("mother_name"),
        cl.ExactMatch("personal_id"),
    ]


def plain_blocking() -> list[Any]:
    from splink import block_on

    return [block_on("full_name"), block_on("birth_date"), block_on("personal_id")]


def plain_training_rules() -> list[Any]:
    from splink import block_on

    return [block_on("full_name"), block_on("birth_date")]


# -- running ------------------------------------------------------------------------------------


DEFAULT_MEMORY = "4GB"
PAIRS_PER_CHUNK = 200_000  # left records scored per prediction chunk (one register: its records)

# The engines' arithmetic differs in the last digits (about 1e-15: log2 and pow of C and of the
# JVM), so the links are decided here on rounded numbers, the same for both: the threshold on the
# probability to 9 decimals (the output shows 6), the assignment on whole millionths of a bit of
# match weight (a Bayes factor of 1.0000007, no evidence either way). Whole numbers add up
# exactly (3,000 pairs of 1,000 bits are 3e12 millionths, far below 2**53), so assignments tied
# in weight stay tied and are decided by the ids alone.
PROBABILITY_DIGITS = 9
WEIGHT_UNITS = 1_000_000
THRESHOLD_MARGIN = 1e-6  # the engine returns pairs this far below the threshold too


@contextmanager
def connect() -> Iterator[Any]:
    """A DuckDB connection with the linkage settings: ``HOTICH_LINKAGE_THREADS`` (default all
    cores) and ``HOTICH_LINKAGE_MEMORY`` (default 4GB); beyond the limit DuckDB spills to a
    temporary directory instead of growing. Closed, and its directory removed, on exit."""
    import duckdb

    spill = tempfile.mkdtemp(prefix="hotich-linkage-")
    con = duckdb.connect()
    try:
        threads = os.environ.get("HOTICH_LINKAGE_THREADS")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        memory = os.environ.get("HOTICH_LINKAGE_MEMORY") or DEFAULT_MEMORY
        con.execute("SET memory_limit = ?", [memory])
        con.execute("SET temp_directory = ?", [spill])
        con.execute("SET preserve_insertion_order = false")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def register_columns(con: Any, name: str, columns: dict[str, list[Any]]) -> str:
    """A dict of lists (``prepare``'s result) as a DuckDB table named ``name``."""
    import pyarrow as pa

    con.register(f"{name}__arrow", pa.table(columns))
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM "{name}__arrow"')  # noqa: S608
    con.unregister(f"{name}__arrow")
    return name


def _rows(con: Any, table: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0]  # noqa: S608
    return int(row[0]) if row else 0


def run_splink(
    con: Any,
    tables: Sequence[str],
    *,
    comparisons: list[Any],
    blocking: list[Any],
    training: list[Any],
    link_type: LinkType,
    threshold: float,
    tf_columns: Sequence[str] = (),
    seed: int = 42,
    max_u_pairs: float = 2e6,
    max_em_pairs: float = 2e6,
    labels: Sequence[tuple[str, str]] = (),
    engine: Engine = "duckdb",
    spark_comparisons: list[Any] | None = None,
) -> tuple[list[Match], int, dict[str, float]]:
    """Train (u by random sampling, m by EM on a sample of pairs) and predict, in chunks of the
    left table; pairs at or above ``threshold`` (applied here, not in the engine: ``at_or_above``).
    ``tables`` name DuckDB tables of ``con``.

    Training always runs in DuckDB (it reads samples); with ``engine="spark"`` the trained
    model scores the pairs on Spark (``spark_engine``), given ``spark_comparisons``: the same
    comparisons built for Spark's SQL."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, SettingsCreator
    from splink.internals.exceptions import EMTrainingException

    seconds: dict[str, float] = {}
    started = time.monotonic()
    if engine == "spark":
        spark_engine.udf_jar()  # built (or refused: no javac) before the training, not after
    db_api = DuckDBAPI(con)
    frames = [db_api.register(name, dataset_display_name=f"t{i}") for i, name in enumerate(tables)]
    sizes = [_rows(con, name) for name in tables]
    if link_type == "link_only":
        pairs_total = float(sizes[0] * sizes[1])
        expected = min(sizes) * 0.8
    else:
        pairs_total = sizes[0] * (sizes[0] - 1) / 2
        expected = sizes[0] * 0.05
    prior = min(0.5, max(expected, 1.0) / max(pairs_total, 1))
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        probability_two_random_records_match=prior,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(
        frames if link_type == "link_only" else frames[0], settings, log_level=SPLINK_LOG_LEVEL
    )
    for column in tf_columns:
        linker.table_management.compute_tf_table(column)
    seconds["setup"] = time.monotonic() - started
    started = time.monotonic()
    linker.training.estimate_u_using_random_sampling(max_pairs=max_u_pairs, seed=seed)
    seconds["train_u"] = time.monotonic() - started
    for rule in training:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=max_em_pairs
            )
        except (ValueError, EMTrainingException) as exc:  # too few pairs: keep the priors
            logger.info("EM session skipped: %s", exc)
    if len(labels) >= MIN_LABELS and link_type == "link_only":
        # officers' "same person" decisions: m estimated from them too (Splink averages the
        # estimates of every training session)
        label_table = pa.table(
            {
                "source_dataset_l": ["t0"] * len(labels),
                "unique_id_l": [left for left, _ in labels],
                "source_dataset_r": ["t1"] * len(labels),
                "unique_id_r": [right for _, right in labels],
            }
        )
        linker.training.estimate_m_from_pairwise_labels(
            linker.table_management.register_labels_table(
                db_api.register(label_table, dataset_display_name="labels")
            )
        )
    seconds["train"] = time.monotonic() - started
    started = time.monotonic()
    below = max(0.0, threshold - THRESHOLD_MARGIN)
    if engine == "spark":
        result = spark_engine.predict(
            linker.misc.save_model_to_json(),
            [con.table(name).to_arrow_table() for name in tables],
            comparisons=spark_comparisons or [],
            blocking=blocking,
            threshold=below,
            tf_columns=tf_columns,
        )
    else:
        result = _predict_duckdb(linker, sizes[0], link_type, below)
    seconds["predict"] = time.monotonic() - started
    matches = _matches(result, link_type, threshold)
    return matches, len(matches), seconds


def at_or_above(probability: float, threshold: float) -> bool:
    """The threshold test both engines pass alike: a pair a last digit from it is kept by both."""
    return round(probability, PROBABILITY_DIGITS) >= threshold


def _matches(result: Any, link_type: LinkType, threshold: float) -> list[Match]:
    """The engine's pairs (``unique_id_l, unique_id_r, match_probability, source_l,
    match_weight``) at or above ``threshold``, the left id from the first table."""
    matches = []
    for left, right, probability, source_l, weight in zip(
        *(result.column(i).to_pylist() for i in range(5)), strict=True
    ):
        if not at_or_above(probability, threshold):
            continue
        if link_type == "link_only" and source_l != "t0":
            left, right = right, left
        matches.append(Match(str(left), str(right), float(probability), float(weight)))
    return matches


def _predict_duckdb(linker: Any, left_rows: int, link_type: LinkType, threshold: float) -> Any:
    # a chunk is the left records whose id hashes to it; finding duplicates in one register, a
    # pair is scored in the chunk of its left (smaller) id, so the chunks cover every pair once
    chunks = max(1, -(-left_rows // PAIRS_PER_CHUNK))
    predictions = linker.inference.predict(
        threshold_match_probability=threshold,
        warning_mode="never",
        num_chunks_left=chunks,
        num_chunks_right=1,
    )
    source = "source_dataset_l" if link_type == "link_only" else "'t0'"
    result = (
        predictions.as_duckdbpyrelation()
        .select(f"unique_id_l, unique_id_r, match_probability, {source} AS source_l, match_weight")
        .to_arrow_table()
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    return result


def one_to_one(matches: Sequence[Match]) -> list[Match]:
    """Each record used at most once, choosing the pairs of most total match weight.

    Candidate pairs fall into small groups of records that compete for one another (a family's
    children, namesakes of one commune); inside each group the assignment maximises the summed
    weight (``scipy.optimize.linear_sum_assignment``). A greedy pass, the most probable pair
    first, goes wrong in a family: an entry whose given name matches nobody (a renamed child)
    agrees with every brother and sister on surname, parents, commune and year, and would take
    the brother whose own entry names him exactly.

    Weights and probabilities are compared rounded (``_units``, ``_probability``), so the same
    pairs give the same links, in the same order, whatever their order and last digits."""
    chosen: list[Match] = []
    for group in _competing_groups(matches):
        chosen.extend(group if len(group) == 1 else _best_assignment(group))
    return sorted(chosen, key=_order)


def _competing_groups(matches: Sequence[Match]) -> list[list[Match]]:
    """The connected parts of the graph whose nodes are records and whose edges are pairs."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for m in matches:
        a, b = root("l" + m.left_id), root("r" + m.right_id)
        if a != b:
            parent[a] = b
    groups: dict[str, list[Match]] = {}
    for m in matches:
        groups.setdefault(root("l" + m.left_id), []).append(m)
    return list(groups.values())


MAX_ASSIGNMENT_SIDE = 3_000  # a bigger group (never seen in practice) is assigned greedily


def _best_assignment(group: list[Match]) -> list[Match]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    best = {(m.left_id, m.right_id): m for m in _dedupe_pairs(group)}
    lefts = sorted({left for left, _ in best})
    rights = sorted({right for _, right in best})
    if max(len(lefts), len(rights)) > MAX_ASSIGNMENT_SIDE:
        return _greedy(list(best.values()))
    row = {left: i for i, left in enumerate(lefts)}
    col = {right: j for j, right in enumerate(rights)}
    # every pair worth more than no pair: weights shifted above zero (one bit for the least
    # pair), missing pairs zero; whole numbers, so a tie is exact and is decided by the order of
    # the rows and columns, that is by the ids
    floor = min(_units(m) for m in best.values())
    benefit = np.zeros((len(lefts), len(rights)), dtype=np.int64)
    for (left, right), m in best.items():
        benefit[row[left], col[right]] = _units(m) - floor + WEIGHT_UNITS
    rows, cols = linear_sum_assignment(benefit, maximize=True)
    return [
        best[(lefts[i], rights[j])]
        for i, j in zip(rows, cols, strict=True)
        if (lefts[i], rights[j]) in best
    ]


def _units(m: Match) -> int:
    """The match weight in whole millionths of a bit (see ``WEIGHT_UNITS``)."""
    return round(m.match_weight * WEIGHT_UNITS)


def _probability(m: Match) -> float:
    return round(m.match_probability, PROBABILITY_DIGITS)


def _strength(m: Match) -> tuple[float, int]:
    return (_probability(m), _units(m))


def _order(m: Match) -> tuple[float, str, str]:
    """The most likely pair first; equally likely pairs by id."""
    return (-_probability(m), m.left_id, m.right_id)


def _greedy(matches: Sequence[Match]) -> list[Match]:
    used_left: set[str] = set()
    used_right: set[str] = set()
    chosen = []
    for m in sorted(matches, key=lambda m: (-_units(m), m.left_id, m.right_id)):
        if m.left_id in used_left or m.right_id in used_right:
            continue
        used_left.add(m.left_id)
        used_right.add(m.right_id)
        chosen.append(m)
    return chosen


def link_tables(
    con: Any,
    left: str,
    right: str | None,
    *,
    threshold: float = 0.5,
    assign_one_to_one: bool = True,
    labels: Sequence[tuple[str, str]] = (),
    engine: Engine = "duckdb",
) -> LinkResult:
    """Link two prepared DuckDB tables of ``con`` (or find duplicates in one when ``right`` is
    None); ``engine`` scores the pairs in DuckDB or on Spark (the same links)."""
    link_type: LinkType = "dedupe_only" if right is None else "link_only"
    tables = [left] if right is None else [left, right]
    matches, candidates, seconds = run_splink(
        con,
        tables,
        comparisons=vietnamese_comparisons(),
        blocking=vietnamese_blocking(),
        training=vietnamese_training_rules(),
        link_type=link_type,
        threshold=threshold,
        tf_columns=("surname_f", "given_f"),
        labels=labels,
        engine=engine,
        spark_comparisons=vietnamese_comparisons("spark") if engine == "spark" else None,
    )
    if assign_one_to_one and link_type == "link_only":
        matches = one_to_one(matches)
    else:
        matches = _dedupe_pairs(matches)
    return LinkResult(matches=matches, candidate_pairs=candidates, seconds=seconds)


def link_prepared(
    left: dict[str, list[Any]],
    right: dict[str, list[Any]] | None,
    *,
    threshold: float = 0.5,
    assign_one_to_one: bool = True,
    labels: Sequence[tuple[str, str]] = (),
) -> LinkResult:
    """Link two prepared tables given as dicts of lists (or find duplicates in one when
    ``right`` is None)."""
    with connect() as con:
        return link_tables(
            con,
            register_columns(con, "left_prepared", left),
            register_columns(con, "right_prepared", right) if right is not None else None,
            threshold=threshold,
            assign_one_to_one=assign_one_to_one,
            labels=labels,
        )


def link_plain(
    left: dict[str, list[Any]], right: dict[str, list[Any]], *, threshold: float = 0.5
) -> LinkResult:
    with connect() as con:
        matches, candidates, seconds = run_splink(
            con,
            [register_columns(con, "left_raw", left), register_columns(con, "right_raw", right)],
            comparisons=plain_comparisons(),
            blocking=plain_blocking(),
            training=plain_training_rules(),
            link_type="link_only",
            threshold=threshold,
        )
    return LinkResult(matches=_dedupe_pairs(matches), candidate_pairs=candidates, seconds=seconds)


def _dedupe_pairs(matches: Sequence[Match]) -> list[Match]:
    """One pair per (left, right): the most likely of those found by several blocking rules."""
    best: dict[tuple[str, str], Match] = {}
    for m in matches:
        key = (m.left_id, m.right_id)
        if key not in best or _strength(best[key]) < _strength(m):
            best[key] = m
    return sorted(best.values(), key=_order)

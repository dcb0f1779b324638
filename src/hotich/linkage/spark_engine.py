"""The linkage engine's Spark backend: the trained model scores the candidate pairs on Spark.

Training reads samples only (u from random pairs, m by EM on blocked pairs), so it runs in DuckDB
as before; its model (every m and u) is then handed to Splink's ``SparkAPI``, which builds the
candidate pairs with the same blocking rules and scores them with the same comparisons, written
in Spark's SQL. Both engines therefore give the same pairs with the same probabilities, but for
the Jaro-Winkler function (README, "Two engines") and the last digits; the threshold and the
one-to-one assignment that follow are applied in Python, on rounded numbers.

Settings (environment):

- ``HOTICH_SPARK_MASTER``: the cluster's master URL (default ``local[N]``, N =
  ``HOTICH_LINKAGE_THREADS`` or every core);
- ``HOTICH_SPARK_MEMORY``: the driver's memory (default ``4g``);
- ``HOTICH_SPARK_PARTITIONS``: shuffle partitions (default 4 per core);
- ``HOTICH_SPARK_LOG``: a file that keeps the JVM's own output (by default it is discarded, so
  that a ``hotich`` command prints nothing of Spark's; errors still reach Python as exceptions).
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

DEFAULT_MEMORY = "4g"
PARTITIONS_PER_CORE = 4


def _cores() -> int:
    return int(os.environ.get("HOTICH_LINKAGE_THREADS") or os.cpu_count() or 1)


def java_available() -> bool:
    """A Java runtime Spark can start (``JAVA_HOME`` or ``java`` on the path)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        return os.access(os.path.join(java_home, "bin", "java"), os.X_OK)
    return shutil.which("java") is not None


def _conf(work: str) -> Any:
    from pyspark import SparkConf
    from splink.backends.spark import similarity_jar_location

    partitions = os.environ.get("HOTICH_SPARK_PARTITIONS") or str(PARTITIONS_PER_CORE * _cores())
    return (
        SparkConf()
        .setMaster(os.environ.get("HOTICH_SPARK_MASTER") or f"local[{_cores()}]")
        .setAppName("hotich-linkage")
        .setAll(
            [
                ("spark.jars", similarity_jar_location()),
                ("spark.driver.memory", os.environ.get("HOTICH_SPARK_MEMORY") or DEFAULT_MEMORY),
                ("spark.ui.enabled", "false"),
                ("spark.ui.showConsoleProgress", "false"),
                ("spark.sql.shuffle.partitions", partitions),
                ("spark.default.parallelism", partitions),
                ("spark.local.dir", os.path.join(work, "local")),
                ("spark.sql.warehouse.dir", os.path.join(work, "warehouse")),
                ("spark.sql.execution.arrow.pyspark.enabled", "true"),
                ("spark.driver.extraJavaOptions", "-Dderby.system.home=" + work),
            ]
        )
    )


@contextmanager
def spark_session() -> Iterator[Any]:
    """A Spark session for one linkage run, its JVM silent (its output goes to
    ``HOTICH_SPARK_LOG`` or nowhere) and its log level at errors; stopped, and its working
    directory removed, on exit."""
    from pyspark import SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    # py4j logs each connection it opens and closes (at exit too) at INFO
    logging.getLogger("py4j").setLevel(logging.WARNING)
    work = tempfile.mkdtemp(prefix="hotich-spark-")
    conf = _conf(work)
    log_path = os.environ.get("HOTICH_SPARK_LOG")
    log: IO[bytes] | None = open(log_path, "ab") if log_path else None  # noqa: SIM115
    output: Any = log if log is not None else subprocess.DEVNULL
    gateway = None
    if SparkContext._gateway is None:  # the first session of this process starts the JVM
        gateway = launch_gateway(  # type: ignore[no-untyped-call]
            conf, popen_kwargs={"stdout": output, "stderr": output}
        )
    context = SparkContext(conf=conf, gateway=gateway)
    try:
        context.setLogLevel("ERROR")
        context.setCheckpointDir(os.path.join(work, "checkpoints"))
        yield SparkSession(context)
    finally:
        context.stop()
        if log is not None:
            log.close()
        shutil.rmtree(work, ignore_errors=True)


def spark_settings(
    model: dict[str, Any], comparisons: Sequence[Any], blocking: Sequence[Any]
) -> dict[str, Any]:
    """A model trained on DuckDB (``save_model_to_json``) with its SQL in Spark's dialect: each
    level's condition taken from the same comparison built for Spark, the blocking rules built
    for Spark; every trained parameter kept."""
    settings = copy.deepcopy(model)
    settings["sql_dialect"] = "spark"
    for saved, comparison in zip(settings["comparisons"], comparisons, strict=True):
        levels = comparison.get_comparison("spark").as_dict()["comparison_levels"]
        for saved_level, level in zip(saved["comparison_levels"], levels, strict=True):
            if saved_level.get("label_for_charts") != level.get("label_for_charts"):
                raise ValueError("the Spark comparisons differ from the trained model's")
            saved_level["sql_condition"] = level["sql_condition"]
    settings["blocking_rules_to_generate_predictions"] = [
        rule.get_blocking_rule("spark").as_dict() for rule in blocking
    ]
    return settings


def predict(
    model: dict[str, Any],
    tables: Sequence[Any],
    *,
    comparisons: Sequence[Any],
    blocking: Sequence[Any],
    threshold: float,
    tf_columns: Sequence[str] = (),
) -> Any:
    """Score the candidate pairs of ``tables`` (pyarrow tables: two to link, one to find its
    duplicates) on Spark; a pyarrow table of ``unique_id_l, unique_id_r, match_probability,
    source_l, match_weight`` for the pairs at or above ``threshold``."""
    from splink import Linker
    from splink.backends.spark import SparkAPI

    settings = spark_settings(model, comparisons, blocking)
    with spark_session() as spark:
        db_api = SparkAPI(spark_session=spark, break_lineage_method="parquet")
        frames = [
            db_api.register(spark.createDataFrame(table), dataset_display_name=f"t{i}")
            for i, table in enumerate(tables)
        ]
        linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level="ERROR")
        for column in tf_columns:
            linker.table_management.compute_tf_table(column)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        source = "source_dataset_l" if len(frames) > 1 else "'t0'"
        return (
            predictions.as_spark_dataframe()
            .selectExpr(
                "unique_id_l",
                "unique_id_r",
                "match_probability",
                f"{source} AS source_l",
                "match_weight",
            )
            .toArrow()
        )

"""The linkage engine's Spark backend: the trained model scores the candidate pairs on Spark.

Training reads samples only (u from random pairs, m by EM on blocked pairs), so it runs in DuckDB
as before; its model (every m and u) is then handed to Splink's ``SparkAPI``, which builds the
candidate pairs with the same blocking rules and scores them with the same comparisons, written
in Spark's SQL. The names are compared with DuckDB's own Jaro-Winkler similarity, a Java function
of the project's (``java/JaroWinklerDuckDB.java``, registered as ``hotich_jaro_winkler``), not
the ``jaro_winkler`` of the jar Splink ships, which differs (README, "Two engines"). Both engines
therefore give the same pairs with the same probabilities but for the last digits; the threshold
and the one-to-one assignment that follow are applied in Python, on rounded numbers.

The function is compiled with ``javac`` (a JDK, not only a Java runtime) on first use into
``$HOTICH_DATA_DIR/cache/spark/``, a jar named after the source's hash, and reused from there.

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
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed

DEFAULT_MEMORY = "4g"
PARTITIONS_PER_CORE = 4
#: DuckDB's ``jaro_winkler_similarity`` on Spark (``java/JaroWinklerDuckDB.java``)
JARO_WINKLER_FUNCTION = "hotich_jaro_winkler"
UDF_SOURCE = Path(__file__).with_name("java") / "JaroWinklerDuckDB.java"
UDF_CLASS = "hotich.linkage.JaroWinklerDuckDB"
JAVA_RELEASE = "17"  # Spark 4's oldest Java


def _cores() -> int:
    return int(os.environ.get("HOTICH_LINKAGE_THREADS") or os.cpu_count() or 1)


def java_available() -> bool:
    """A Java runtime Spark can start (``JAVA_HOME`` or ``java`` on the path)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        return os.access(os.path.join(java_home, "bin", "java"), os.X_OK)
    return shutil.which("java") is not None


def _javac() -> str | None:
    """The JDK's compiler (``JAVA_HOME``'s or the one on the path), if any."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        javac = os.path.join(java_home, "bin", "javac")
        return javac if os.access(javac, os.X_OK) else None
    return shutil.which("javac")


def jdk_available() -> bool:
    """A Java runtime and its compiler: what the Spark engine needs (``udf_jar``)."""
    return java_available() and _javac() is not None


def _spark_jars() -> str:
    """The directory of Spark's own jars (``SPARK_HOME``'s, else those pyspark ships)."""
    spark_home = os.environ.get("SPARK_HOME")
    if spark_home and os.path.isdir(os.path.join(spark_home, "jars")):
        return os.path.join(spark_home, "jars")
    import pyspark

    return os.path.join(os.path.dirname(pyspark.__file__), "jars")


def _cache_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "cache" / "spark"


def udf_jar() -> str:
    """The jar of DuckDB's Jaro-Winkler similarity for Spark (``JARO_WINKLER_FUNCTION``): built
    the first time (``javac``, then zipped) into ``$HOTICH_DATA_DIR/cache/spark/`` under the
    source's hash, so a changed source gets a new jar; afterwards only looked up. A missing
    ``javac``, or one that cannot compile it, is refused with a message saying what to install."""
    digest = hashlib.sha256(UDF_SOURCE.read_bytes()).hexdigest()[:16]
    cache = _cache_dir()
    jar = cache / f"hotich-jaro-winkler-{digest}.jar"
    if jar.is_file():
        return str(jar)
    javac = _javac()
    if javac is None:
        raise ValidationFailed(
            _(
                "Chấm điểm trên Spark cần javac (bộ JDK, gói Debian openjdk-17-jdk-headless) để "
                "dựng hàm Jaro-Winkler của DuckDB; chỉ có Java runtime là chưa đủ."
            ),
            field="engine",
        )
    cache.mkdir(parents=True, exist_ok=True)
    # built aside and renamed: a run at the same time never sees half a jar
    with tempfile.TemporaryDirectory(dir=cache, prefix=".build-") as build:
        classes = os.path.join(build, "classes")
        done = subprocess.run(  # noqa: S603 - the JDK's javac, fixed arguments
            [
                javac,
                "--release",
                JAVA_RELEASE,
                "-encoding",
                "UTF-8",
                "-nowarn",
                "-classpath",
                os.path.join(_spark_jars(), "*"),
                "-d",
                classes,
                str(UDF_SOURCE),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:  # an old or broken JDK: say so, with javac's first line
            first = (done.stderr or done.stdout).strip().splitlines()[:1]
            raise ValidationFailed(
                format_lazy(
                    _(
                        "javac không dịch được hàm Jaro-Winkler cho Spark (cần JDK {release} trở "
                        "lên): {error}"
                    ),
                    release=JAVA_RELEASE,
                    error=(first[0] if first else f"exit {done.returncode}")[:200],
                ),
                field="engine",
            )
        built = os.path.join(build, "udf.jar")
        with zipfile.ZipFile(built, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
            for path in sorted(Path(classes).rglob("*.class")):
                zf.write(path, path.relative_to(classes).as_posix())
        os.replace(built, jar)
    return str(jar)


def _conf(work: str, jars: Sequence[str]) -> Any:
    from pyspark import SparkConf
    from splink.backends.spark import similarity_jar_location

    partitions = os.environ.get("HOTICH_SPARK_PARTITIONS") or str(PARTITIONS_PER_CORE * _cores())
    return (
        SparkConf()
        .setMaster(os.environ.get("HOTICH_SPARK_MASTER") or f"local[{_cores()}]")
        .setAppName("hotich-linkage")
        .setAll(
            [
                ("spark.jars", ",".join([similarity_jar_location(), *jars])),
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
    ``HOTICH_SPARK_LOG`` or nowhere) and its log level at errors, DuckDB's Jaro-Winkler
    similarity registered (``JARO_WINKLER_FUNCTION``); stopped, and its working directory
    removed, on exit."""
    from pyspark import SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DoubleType

    # py4j logs each connection it opens and closes (at exit too) at INFO
    logging.getLogger("py4j").setLevel(logging.WARNING)
    jar = udf_jar()
    work = tempfile.mkdtemp(prefix="hotich-spark-")
    conf = _conf(work, [jar])
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
        session = SparkSession(context)
        session.udf.registerJavaFunction(JARO_WINKLER_FUNCTION, UDF_CLASS, DoubleType())
        yield session
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

"""edXML benchmark (not collected by the test run; ``bench/edoc_bench.py`` runs it).

For ``HOTICH_BENCH_N`` issued documents of one commune (signed as the official and the seal by
the demo PKI) it times: *sign* (the document's ``sign`` step: number, render the PDF/A, two
PAdES signatures with timestamps, store), *build* (``package_export``: read the signed PDF,
build the edXML package with it in base64), and *import + verify* (``package_import`` into
another commune: parse, check the PDF, verify both signatures and the chain, register the
incoming document, record the package and queue its two status messages). Writes the samples
as JSON to ``HOTICH_BENCH_OUT``.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest

from hotich.documents.services import document_create, document_transition
from hotich.interconnect.services import package_export, package_import

N = int(os.environ.get("HOTICH_BENCH_N", "20"))


@pytest.mark.django_db
def test_bench_edoc(people, codes) -> None:
    officer, signer = people["officer"], people["signer"]
    samples: dict[str, list[float]] = {
        "sign": [],
        "build": [],
        "import": [],
        "size": [],
        "cpu_sign": [],
        "cpu_build": [],
        "cpu_import": [],
    }
    for n in range(N + 1):  # the first is the warm-up
        document = document_create(
            actor=officer,
            doc_type="CV",
            title=f"Về việc phối hợp xác minh hồ sơ hộ tịch số {n}",
            body="Đề nghị phối hợp xác minh.\n\n" * 20,
            recipient_unit_id=people["officer_b"].unit_id,
        )
        document_transition(actor=officer, document=document, action="submit")
        document_transition(actor=signer, document=document, action="approve")
        start, cpu = time.perf_counter(), time.process_time()
        document_transition(actor=signer, document=document, action="sign")
        signed, cpu_signed = time.perf_counter() - start, time.process_time() - cpu
        document_transition(actor=officer, document=document, action="issue")
        start, cpu = time.perf_counter(), time.process_time()
        _key, data = package_export(actor=None, document_id=document.pk, to_code=codes["b"])
        built, cpu_built = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        package: Any = package_import(actor=None, data=data)
        imported, cpu_imported = time.perf_counter() - start, time.process_time() - cpu
        assert package.document.signature_valid
        if n:
            samples["sign"].append(signed)
            samples["build"].append(built)
            samples["import"].append(imported)
            samples["size"].append(len(data))
            samples["cpu_sign"].append(cpu_signed)
            samples["cpu_build"].append(cpu_built)
            samples["cpu_import"].append(cpu_imported)
    out = os.environ.get("HOTICH_BENCH_OUT")
    if out:
        with open(out, "w") as handle:
            json.dump(samples, handle)

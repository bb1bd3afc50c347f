"""Every schema-valid variation of every supported request is answered, never crashes the simulator.

The variations come from the differential-testing kit (shape_mutations.py): one-step mutations of the
valid examples that the simulator's own checks accept. Each must get a schema-valid response (any
status) from QuickBooks, as real QuickBooks answers anything its parser accepts.
"""

from __future__ import annotations

import pytest
from lxml import etree
from shape_mutations import EXAMPLES, mutations, own_verdict

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=lambda i: f"{i}-{EXAMPLES[i].tag}")
def test_valid_variations_are_answered(index, schema16):
    session = QuickBooks(sample_company(), schema_dir=None).open_session("fuzz")
    answered = 0
    for name, root in mutations(EXAMPLES[index]):
        if not own_verdict(root):
            continue
        request = '<?qbxml version="16.0"?>' + etree.tostring(root, encoding="unicode")
        response = etree.fromstring(session.process(request).encode())
        assert schema16.validate(response), (name, schema16.error_log.last_error)
        answered += 1
    assert answered > 0

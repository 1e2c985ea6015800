import json

from workers.fingerprint import (NEAR_DUP_THRESHOLD, band_keys, content_hash, jaccard, lsh_params,
                                 minhash_signature, normalise_text)

WIRE = """Harbourline Shipping said on Tuesday that its chief executive, Marta Lindqvist, will step down
at the end of March after nine years in the role, and that finance director Owen Achebe will replace her.
Lindqvist, 61, led the Rotterdam-based group through the collapse of freight rates in 2016 and a costly
expansion into Baltic ferry routes that investors had long questioned.
"It has been the privilege of my working life to lead this company," Lindqvist said in a statement.
Achebe joined Harbourline from the port operator Nordkai in 2019 and has overseen a cost-cutting
programme that the company says saved 140 million euros last year.
Shares in Harbourline rose 3.2 percent in early trading in Amsterdam.
The company will publish full-year results on March 14, when it is expected to outline its strategy
for the new chief executive's first year.
Analysts at Kestrel Securities said the choice of an internal candidate signalled continuity."""

# A syndicated copy: new headline and dateline, last paragraph trimmed, a credit line added.
SYNDICATED = ("AMSTERDAM (Agency) - " + "\n".join(WIRE.split("\n")[:-1])
              + "\nReporting by Staff Writer; editing by Desk Editor.")

REWRITE = """The boss of Dutch ferry and freight firm Harbourline is leaving. Marta Lindqvist announced she
would quit in March, handing the top job to her finance chief Owen Achebe, a former Nordkai manager.
Her near-decade in charge was marked by a slump in shipping prices and a divisive push into the
Baltic. Investors welcomed the news, sending the stock up more than 3% on Tuesday morning."""

OTHER = """The city council voted on Thursday to close two branch libraries and cut opening hours at a
third, saying a shortfall in its budget left it no choice. Campaigners said they would seek a judicial
review of the decision, which they called short-sighted and unfair to older residents."""


def test_normalise_and_content_hash():
    assert normalise_text("Hello,  “World”!\nIt’s  HERE") == "hello world it's here"
    assert content_hash("The  Minister RESIGNED.") == content_hash("the minister resigned")
    assert content_hash("The minister resigned") != content_hash("The minister stayed")
    assert len(content_hash(WIRE)) == 32


def test_signature_is_plain_ints_and_deterministic():
    sig = minhash_signature(WIRE)
    assert len(sig) == 128 and all(type(v) is int and 0 <= v < 2**32 for v in sig)
    assert json.loads(json.dumps(sig)) == sig
    assert minhash_signature(WIRE) == sig
    assert len(minhash_signature(WIRE, num_perm=64)) == 64


def test_band_keys_signed_64_bit_with_band_index():
    sig = minhash_signature(WIRE)
    b, r = lsh_params(NEAR_DUP_THRESHOLD, 128)
    keys = band_keys(sig)
    assert len(keys) == b and b * r <= 128
    assert all(-2**63 <= k < 2**63 for k in keys)
    flat = [7] * 128  # identical bands must still give distinct keys
    assert len(set(band_keys(flat))) == b
    assert len(band_keys(sig, threshold=0.8)) == lsh_params(0.8, 128)[0]


def test_syndicated_copy_is_near_duplicate():
    a, b = minhash_signature(WIRE), minhash_signature(SYNDICATED)
    assert jaccard(a, b) >= NEAR_DUP_THRESHOLD
    assert set(band_keys(a)) & set(band_keys(b))


def test_rewrite_and_other_story_are_not():
    a = minhash_signature(WIRE)
    for text in (REWRITE, OTHER):
        b = minhash_signature(text)
        assert jaccard(a, b) < 0.2
        assert not set(band_keys(a)) & set(band_keys(b))
    assert jaccard(a, a) == 1.0

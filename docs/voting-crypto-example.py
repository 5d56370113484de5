#!/usr/bin/env python3
# docs/voting-crypto-example.py
#
# Copyright 2026 The Gremium authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the worked example of docs/voting-crypto.md (section 13) from the
document alone: a ristretto255 written from RFC 9496 in pure Python, BLAKE2b
and SHA-256 from hashlib, and the formats and equations of the document. It
shares no code with the C implementation, so it catches a document that does
not say what the code does.

Usage: python3 docs/voting-crypto-example.py docs/voting-crypto.md
"""
import base64, hashlib, json, sys

p = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, p - 2, p)) % p
SQRT_M1 = pow(2, (p - 1) // 4, p)
INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578

def neg(x): return (-x) % p
def is_neg(x): return (x % p) & 1
def ct_abs(x): return neg(x) if is_neg(x) else x % p

def sqrt_ratio_m1(u, v):
    u %= p; v %= p
    v3 = v * v * v % p; v7 = v3 * v3 * v % p
    r = u * v3 * pow(u * v7 % p, (p - 5) // 8, p) % p
    check = v * r * r % p
    correct = check == u
    flipped = check == neg(u)
    flipped_i = check == neg(u) * SQRT_M1 % p
    if flipped or flipped_i: r = r * SQRT_M1 % p
    return (correct or flipped), ct_abs(r)

def decode(b):
    assert len(b) == 32
    s = int.from_bytes(b, 'little')
    if s >= p or is_neg(s): raise ValueError('non-canonical')
    ss = s * s % p
    u1 = (1 - ss) % p; u2 = (1 + ss) % p; u2s = u2 * u2 % p
    v = (neg(D * u1 * u1) - u2s) % p
    ok, inv = sqrt_ratio_m1(1, v * u2s)
    dx = inv * u2 % p; dy = inv * dx * v % p
    x = ct_abs(2 * s * dx); y = u1 * dy % p; t = x * y % p
    if not ok or is_neg(t) or y == 0: raise ValueError('invalid')
    return (x, y, 1, t)

def encode(P):
    x0, y0, z0, t0 = P
    u1 = (z0 + y0) * (z0 - y0) % p; u2 = x0 * y0 % p
    _, inv = sqrt_ratio_m1(1, u1 * u2 * u2)
    den1 = inv * u1 % p; den2 = inv * u2 % p
    zinv = den1 * den2 * t0 % p
    if is_neg(t0 * zinv):
        x, y, den = y0 * SQRT_M1 % p, x0 * SQRT_M1 % p, den1 * INVSQRT_A_MINUS_D % p
    else:
        x, y, den = x0, y0, den2
    if is_neg(x * zinv): y = neg(y)
    s = ct_abs(den * (z0 - y))
    return s.to_bytes(32, 'little')

def add(P, Q):
    x1, y1, z1, t1 = P; x2, y2, z2, t2 = Q
    a = (y1 - x1) * (y2 - x2) % p; b = (y1 + x1) * (y2 + x2) % p
    c = t1 * 2 * D * t2 % p; d = z1 * 2 * z2 % p
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % p, g * h % p, f * g % p, e * h % p)

IDENTITY = (0, 1, 1, 0)
def negp(P): return (neg(P[0]), P[1], P[2], neg(P[3]))
def mul(k, P):
    R = IDENTITY
    for bit in bin(k % L)[2:]:
        R = add(R, R)
        if bit == '1': R = add(R, P)
    return R
def eq(P, Q): return encode(P) == encode(Q)

G_BYTES = bytes.fromhex('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76')
G = decode(G_BYTES)

def b64(s):
    raw = base64.b64decode(s, validate=True)
    assert base64.b64encode(raw).decode() == s and len(raw) == 32
    return raw
def point(s, allow_identity=False):
    raw = b64(s)
    if raw == bytes(32):
        if not allow_identity: raise ValueError('identity')
        return IDENTITY
    return decode(raw)
def scalar(s):
    v = int.from_bytes(b64(s), 'little')
    if v >= L: raise ValueError('non-canonical scalar')
    return v

class Transcript:
    def __init__(self, domain):
        self.data = b''
        self.item('domain', domain.encode()); self.item('group', b'ristretto255'); self.item('generator', G_BYTES)
    def item(self, label, value):
        if isinstance(value, str): value = value.encode()
        if isinstance(value, int): value = value.to_bytes(4, 'big')
        self.data += len(label).to_bytes(4, 'big') + label.encode() + len(value).to_bytes(4, 'big') + value
        return self
    def challenge(self):
        return int.from_bytes(hashlib.blake2b(self.data, digest_size=64).digest(), 'little') % L

def canonical(doc): return json.dumps(doc, separators=(',', ':'), ensure_ascii=False).encode()

def read_example(path):
    text = open(path, encoding='utf-8').read()
    block = text.split('<!-- example:begin -->', 1)[1].split('<!-- example:end -->', 1)[0]
    lines = [l for l in block.splitlines() if l and not l.startswith('```')]
    return dict(l.split(': ', 1) for l in lines)

def main(path):
    ex = read_example(path)
    meeting, vote, n_opt, lo, hi = 'rat-2026-11', 'top-7', 3, 1, 1
    # teller shares
    tellers = []
    for i in (1, 2):
        raw = ex['teller share %d' % i].encode()
        doc = json.loads(raw); assert canonical(doc) == raw
        assert doc['v'] == 1 and doc['meeting'] == meeting and doc['vote'] == vote
        Y = point(doc['key']); a = point(doc['proof']['a'], True); s = scalar(doc['proof']['s'])
        c = Transcript('gremium/v1/teller-key-proof').item('meeting', meeting).item('vote', vote) \
            .item('teller', doc['teller']).item('key', b64(doc['key'])).item('commit-a', b64(doc['proof']['a'])).challenge()
        assert eq(mul(s, G), add(a, mul(c, Y))), 'teller proof'
        tellers.append((doc['teller'], doc['key'], Y))
    h = IDENTITY
    for _, _, Y in tellers: h = add(h, Y)
    h_bytes = encode(h)
    assert h_bytes.hex() == ex['election key'], 'election key'
    print('teller proofs and election key: ok')

    def ctx(tr, voter):
        return tr.item('meeting', meeting).item('vote', vote).item('election-key', h_bytes) \
                 .item('options', n_opt).item('min', lo).item('max', hi).item('voter', voter)

    def check_range(tr, alpha, beta, branches, low, high):
        assert len(branches) == high - low + 1
        total = 0
        for br in branches:
            tr.item('commit-a', b64(br['a'])).item('commit-b', b64(br['b']))
            total += scalar(br['c'])
        assert tr.challenge() == total % L, 'challenges'
        for k, br in enumerate(branches):
            v = low + k
            a = point(br['a'], True); b = point(br['b'], True); c = scalar(br['c']); s = scalar(br['s'])
            assert eq(mul(s, G), add(a, mul(c, alpha)))
            assert eq(mul(s, h), add(b, mul(c, add(beta, negp(mul(v, G))))))

    raw = ex['ballot'].encode()
    doc = json.loads(raw); assert canonical(doc) == raw
    voter = doc['voter']
    alphas, betas = [], []
    for j, opt in enumerate(doc['options']):
        alpha, beta = point(opt['alpha']), point(opt['beta'])
        tr = ctx(Transcript('gremium/v1/ballot-option-proof'), voter).item('option', j) \
             .item('alpha', b64(opt['alpha'])).item('beta', b64(opt['beta'])).item('low', 0).item('high', 1)
        check_range(tr, alpha, beta, opt['proof'], 0, 1)
        alphas.append(alpha); betas.append(beta)
    tr = ctx(Transcript('gremium/v1/ballot-sum-proof'), voter)
    for opt in doc['options']: tr.item('alpha', b64(opt['alpha'])).item('beta', b64(opt['beta']))
    tr.item('low', lo).item('high', hi)
    A = IDENTITY; B = IDENTITY
    for a in alphas: A = add(A, a)
    for b in betas: B = add(B, b)
    check_range(tr, A, B, doc['sum'], lo, hi)
    tracker = base64.b64encode(hashlib.sha256(raw).digest()).decode()
    assert tracker == ex['tracker'], 'tracker'
    print('ballot proofs and tracker: ok')

    # tally of the one ballot
    tally = [(alphas[j], betas[j]) for j in range(n_opt)]
    shares = {}
    for i in (1, 2):
        raw = ex['decryption share %d' % i].encode()
        doc = json.loads(raw); assert canonical(doc) == raw
        assert doc['ballots'] == 1
        teller, key_b64, Y = tellers[i - 1]
        assert doc['teller'] == teller
        Ds = []
        for j, sh in enumerate(doc['shares']):
            Dp = point(sh['d'], True); a = point(sh['a'], True); b = point(sh['b'], True); s = scalar(sh['s'])
            tr = Transcript('gremium/v1/decryption-proof').item('meeting', meeting).item('vote', vote) \
                 .item('election-key', h_bytes).item('options', n_opt).item('min', lo).item('max', hi) \
                 .item('teller', teller).item('teller-key', b64(key_b64)).item('ballots', 1)
            for (Aj, Bj) in tally: tr.item('tally-alpha', encode(Aj)).item('tally-beta', encode(Bj))
            c = tr.item('option', j).item('share', b64(sh['d'])).item('commit-a', b64(sh['a'])).item('commit-b', b64(sh['b'])).challenge()
            assert eq(mul(s, G), add(a, mul(c, Y))), 'decryption proof 1'
            assert eq(mul(s, tally[j][0]), add(b, mul(c, Dp))), 'decryption proof 2'
            Ds.append(Dp)
        shares[teller] = Ds
    counts = []
    for j in range(n_opt):
        M = tally[j][1]
        for t in shares: M = add(M, negp(shares[t][j]))
        for k in range(0, 2):
            if eq(mul(k, G), M): counts.append(k); break
        else: raise AssertionError('no count')
    assert counts == [1, 0, 0], counts
    print('decryption shares and counts: ok', counts)

main(sys.argv[1])

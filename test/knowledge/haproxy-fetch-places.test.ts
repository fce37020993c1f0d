/**
 * Where HAProxy's sample fetches give a value (knowledge/haproxy-fetch-places.ts), the table behind
 * haproxy/acl-never-matches: generated from the HAProxy 2.8.0 source, and right on the facts the
 * rule relies on (checked against 2.6.12 by test/rules/haproxy-binary.test.ts).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  ALL_PLACES,
  PLACE,
  fetchKeyword,
  keywordPlaces,
  placeName,
  predefinedAclPlaces,
} from '../../server/src/service/knowledge/haproxy-fetch-places';
import { need } from '../helpers/needs';

const REPO = path.join(__dirname, '..', '..');

describe('HAProxy fetch check places', () => {
  it('request data is gone in response rules, response data absent in request rules', () => {
    for (const kw of ['path', 'path_beg', 'url', 'hdr', 'hdr_sub', 'req.hdr', 'cook', 'base'])
      assert.equal(keywordPlaces(kw) & PLACE.FE_HRS_HDR, 0, kw);
    for (const kw of ['status', 'res.hdr', 'shdr']) {
      assert.equal(keywordPlaces(kw) & PLACE.FE_HRQ_HDR, 0, kw);
      assert.notEqual(keywordPlaces(kw) & PLACE.FE_HRS_HDR, 0, kw);
    }
    // the method and the source address stay known to the end
    assert.notEqual(keywordPlaces('method') & PLACE.FE_HRS_HDR, 0);
    assert.notEqual(keywordPlaces('src') & PLACE.FE_CON_ACC, 0);
    // nothing of the request content before it is read
    assert.equal(keywordPlaces('req.len') & PLACE.FE_CON_ACC, 0);
  });

  it('reads ACL keywords and predefined ACLs as the fetch they run; an unknown keyword works everywhere', () => {
    assert.equal(fetchKeyword('hdr_sub(cache-control)'), 'hdr_sub');
    assert.equal(fetchKeyword('req.hdr(host),lower'), 'req.hdr');
    assert.equal(keywordPlaces('hdr_beg'), keywordPlaces('req.hdr'));
    assert.equal(predefinedAclPlaces('METH_GET'), keywordPlaces('method'));
    assert.equal(predefinedAclPlaces('TRUE'), ALL_PLACES);
    assert.equal(predefinedAclPlaces('is_ws'), null);
    assert.equal(keywordPlaces('no-such-fetch'), ALL_PLACES);
  });

  it("names a set of places as HAProxy does (its lowest one's name)", () => {
    assert.equal(placeName(PLACE.FE_HRS_HDR | PLACE.BE_HRS_HDR), 'backend http-response header rule');
    assert.equal(placeName(PLACE.FE_HRS_HDR), 'frontend http-response header rule');
    assert.equal(placeName(PLACE.FE_SET_BCK), 'frontend use-backend rule');
  });

  it('the committed table is what the HAProxy 2.8.0 source in ../shared/src gives', function () {
    need(this, 'shared');
    this.timeout(120_000);
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/gen-haproxy-fetch-places.mjs'), '--check'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  });
});

/**
 * HAProxy's lookup trees: src/lb_fwrr.c (roundrobin), src/lb_fwlc.c and src/lb_fas.c (leastconn,
 * first), src/lb_map.c (static-rr, map-based hashing), src/lb_chash.c (consistent hashing, random).
 */
import {
  BE_WEIGHT_SCALE,
  cdiv,
  dequeue,
  insert,
  SRV_EWGHT_MAX,
  SRV_UWGHT_RANGE,
  Tree,
  willbeUsable,
  type ChashNode,
  type FwrrGroup,
  type HaBackend,
  type Srv,
} from './haproxy-lb';

// ---- fwrr (roundrobin) --------------------------------------------------------------------

export function grpOf(be: HaBackend, s: Srv): FwrrGroup {
  return s.backup ? be.bck : be.act;
}

export function fwrrQueueByWeight(root: Tree<Srv>, s: Srv): void {
  insert(root, s, SRV_EWGHT_MAX - s.nextEweight);
  s.lbTree = root;
}

export function fwrrQueueSrv(be: HaBackend, s: Srv): void {
  const grp = grpOf(be, s);
  if (!willbeUsable(s)) {
    s.lbTree = null;
  } else if (s.nextEweight <= 0 || s.npos >= 2 * grp.currWeight || s.npos >= grp.currWeight + grp.nextWeight) {
    s.npos -= grp.currWeight;
    fwrrQueueByWeight(grp.next, s);
  } else {
    const key =
      SRV_UWGHT_RANGE * s.npos + Math.floor(((SRV_EWGHT_MAX + s.rweight - s.nextEweight) >>> 0) / BE_WEIGHT_SCALE);
    insert(grp.curr, s, key);
    s.lbTree = grp.curr;
  }
}

export function fwrrGetSrv(be: HaBackend, s: Srv): void {
  const grp = grpOf(be, s);
  if (s.lbTree === grp.init) {
    s.npos = s.rweight = 0;
  } else if (s.lbTree === grp.next) {
    s.npos += grp.currWeight;
  } else if (s.lbTree === null) {
    s.npos = grp.currPos;
  }
}

export function fwrrGetServerFromGroup(grp: FwrrGroup): Srv | null {
  let s1: Srv | null = null;
  if (grp.curr.size) {
    s1 = grp.curr.items[0];
    if (s1.curEweight && s1.npos <= grp.currPos) return s1;
  }
  if (grp.init.size) {
    const s2 = grp.init.items[0];
    if (s2.curEweight) {
      s2.npos = s2.rweight = 0;
      return s2;
    }
  }
  return s1;
}

export function fwrrUpdatePosition(grp: FwrrGroup, s: Srv): void {
  const eweight = s.curEweight;
  if (!eweight) return;
  if (!s.npos) s.npos = grp.currPos;
  s.lpos = s.npos;
  s.npos += cdiv(grp.nextWeight, eweight);
  s.rweight += grp.nextWeight % eweight;
  if (s.rweight >= eweight) {
    s.rweight -= eweight;
    s.npos++;
  }
}

export function fwrrGetNextServer(be: HaBackend): Srv | null {
  let grp: FwrrGroup;
  if (be.srvAct) grp = be.act;
  else if (be.fbck) return be.fbck;
  else if (be.srvBck) grp = be.bck;
  else return null;

  let switched = false;
  const full: Srv[] = [];
  let srv: Srv | null = null;
  for (let guard = 0; guard < 100000; guard++) {
    if (!grp.currWeight) grp.currPos = grp.currWeight = grp.nextWeight;
    for (;;) {
      srv = fwrrGetServerFromGroup(grp);
      if (srv) break;
      if (switched) break;
      switched = true;
      // fwrr_switch_trees
      const swap = grp.init;
      grp.init = grp.next;
      grp.next = swap;
      grp.currWeight = grp.nextWeight;
      grp.currPos = grp.currWeight;
    }
    if (!srv) break; // requeue_servers with no server
    fwrrUpdatePosition(grp, srv);
    dequeue(srv);
    grp.currPos++;
    if (!srv.maxconn || srv.served < srv.maxconn) break;
    full.push(srv);
    srv = null;
  }
  if (srv) fwrrQueueSrv(be, srv);
  // Requeue saturated servers, most recently extracted first (the C code chains them LIFO).
  for (let i = full.length - 1; i >= 0; i--) {
    const f = full[i];
    if (f === srv) continue;
    if (switched) fwrrQueueByWeight(grp.init, f);
    else fwrrQueueSrv(be, f);
  }
  return srv;
}

// ---- fwlc (leastconn) and fas (first) ---------------------------------------------------

export function cbKey(be: HaBackend, s: Srv, eweight: number): number {
  if (be.lookup === 'fstree') return s.puid;
  const inflight = s.served;
  return inflight ? Math.floor((((inflight + 1) * SRV_EWGHT_MAX) >>> 0) / (eweight || 1)) : 0;
}

export function cbQueue(be: HaBackend, s: Srv, eweight: number): void {
  if (s.lbTree) insert(s.lbTree, s, cbKey(be, s, eweight));
}

/** `fwlc_srv_reposition` / `fas_srv_reposition`, after a connection is taken or dropped. */
export function cbReposition(be: HaBackend, s: Srv): void {
  if (be.lookup === 'fstree') {
    if (s.lbTree) {
      dequeue(s);
      cbQueue(be, s, s.curEweight);
    }
    return;
  }
  if (be.lookup !== 'lctree') return;
  const newKey = cbKey(be, s, s.curEweight);
  if (s.inTree && s.curEweight && s.key === newKey) return;
  if (s.lbTree && (!s.inTree || s.key !== newKey)) {
    dequeue(s);
    insert(s.lbTree, s, newKey);
  }
}

export function cbGetNextServer(be: HaBackend): Srv | null {
  let tree: Tree<Srv>;
  if (be.srvAct) tree = be.treeAct;
  else if (be.fbck) return be.fbck;
  else if (be.srvBck) tree = be.treeBck;
  else return null;
  for (const s of tree.items) {
    if (!s.maxconn || s.served < s.maxconn) return s;
  }
  return null;
}

// ---- map (static-rr, map-based hash) ----------------------------------------------------

export function recalcServerMap(be: HaBackend): void {
  if (be.totUsed === 0) return;
  const tot = be.totWeight;
  const wantBackup = !be.srvAct;
  for (const s of be.srvs) s.wscore = 0;
  if (be.map.length < tot) be.map.length = tot;
  for (let o = 0; o < tot; o++) {
    let max = 0;
    let best: Srv | null = null;
    for (const cur of be.srvs) {
      if (cur.backup !== wantBackup || !willbeUsable(cur)) continue;
      if (tot === 1) {
        best = cur;
        break;
      }
      cur.wscore += cur.nextEweight;
      const v = cdiv(cur.wscore + tot, tot);
      if (best === null || v > max) {
        max = v;
        best = cur;
      }
    }
    be.map[o] = best;
    if (best) best.wscore -= tot;
  }
}

export function mapGetServerRr(be: HaBackend): Srv | null {
  if (be.totWeight === 0) return null;
  if (be.rrIdx < 0 || be.rrIdx >= be.totWeight) be.rrIdx = 0;
  let newidx = be.rrIdx;
  do {
    const srv = be.map[newidx++];
    if (srv && (!srv.maxconn || srv.served < srv.maxconn)) {
      be.rrIdx = newidx;
      return srv;
    }
    if (newidx === be.totWeight) newidx = 0;
  } while (newidx !== be.rrIdx);
  return null;
}

export function mapGetServerHash(be: HaBackend, hash: number): Srv | null {
  if (!be.totWeight) return null;
  return be.map[(hash >>> 0) % be.totWeight] ?? null;
}

// ---- chash (consistent hashing, random) -------------------------------------------------

export function chRoot(be: HaBackend, s: Srv): Tree<ChashNode> {
  return s.backup ? be.chBck : be.chAct;
}

export function chashSkipNode(root: Tree<ChashNode>, node: ChashNode | null): ChashNode | null {
  if (!node) return null;
  const i = root.items.indexOf(node);
  let n: ChashNode | undefined = i >= 0 ? root.items[i + 1] : undefined;
  if (!n) n = root.items[0];
  if (n === node || !n) return null;
  return n;
}

export function chashRemoveNode(be: HaBackend, s: Srv): void {
  s.nodesNow--;
  const node = s.nodes[s.nodesNow];
  const root = chRoot(be, s);
  if (be.chLast === node) be.chLast = chashSkipNode(root, be.chLast);
  root.remove(node);
}

export function chashQueueDequeue(be: HaBackend, s: Srv): void {
  while (s.nodesNow > s.nextEweight) chashRemoveNode(be, s);
  while (s.nodesNow < s.nextEweight && s.nodesNow < s.nodes.length) {
    const node = s.nodes[s.nodesNow];
    const root = chRoot(be, s);
    if (be.chLast === node) be.chLast = chashSkipNode(root, be.chLast);
    root.insert(node.key, node);
    s.nodesNow++;
  }
}

export function chashDequeueSrv(be: HaBackend, s: Srv): void {
  while (s.nodesNow > 0) chashRemoveNode(be, s);
}

export function chashGetServerHash(be: HaBackend, hash: number): Srv | null {
  let root: Tree<ChashNode>;
  if (be.srvAct) root = be.chAct;
  else if (be.fbck) return be.fbck;
  else if (be.srvBck) root = be.chBck;
  else return null;
  const n = root.size;
  if (!n) return null;
  hash = hash >>> 0;
  let ni = root.lowerBound(hash);
  if (ni >= n) ni = 0;
  const pi = ni > 0 ? ni - 1 : n - 1;
  const next = root.items[ni];
  const prev = root.items[pi];
  const dp = (hash - prev.key) >>> 0;
  const dn = (next.key - hash) >>> 0;
  return dp <= dn ? prev.srv : next.srv;
}

/** `chash_get_next_server`: walk the ring from the last node used, skipping full servers. */
export function chashGetNextServer(be: HaBackend): Srv | null {
  let root: Tree<ChashNode>;
  if (be.srvAct) root = be.chAct;
  else if (be.fbck) return be.fbck;
  else if (be.srvBck) root = be.chBck;
  else return null;
  let node: ChashNode | null = be.chLast;
  let stop: ChashNode | null = node;
  for (let guard = 0; guard <= root.size + 1; guard++) {
    if (node) {
      const i = root.items.indexOf(node);
      node = i >= 0 ? (root.items[i + 1] ?? null) : null;
    }
    if (!node) node = root.items[0] ?? null;
    be.chLast = node;
    if (!node) return null;
    if (!stop) stop = node;
    const s = node.srv;
    if (!s.maxconn || s.served < s.maxconn) return s;
    if (node === stop) break;
  }
  return null;
}

/**
 * Servers going down, up and warming up: `server_recalc_eweight` (src/server.c), the algorithms'
 * `set_server_status_down/up` and `update_server_eweight`, and building the lookup trees.
 */
import { fullHash } from './hashes';
import {
  BE_WEIGHT_SCALE,
  cdiv,
  commit,
  dequeue,
  recountServers,
  SRV_EWGHT_RANGE,
  Tree,
  updateBackendWeight,
  willbeUsable,
  type FwrrGroup,
  type HaBackend,
  type Srv,
} from './haproxy-lb';
import {
  cbQueue,
  chashDequeueSrv,
  chashQueueDequeue,
  fwrrGetSrv,
  fwrrQueueByWeight,
  fwrrQueueSrv,
  grpOf,
  recalcServerMap,
} from './haproxy-trees';

export function initLookup(be: HaBackend): void {
  switch (be.lookup) {
    case 'rrtree': {
      const mk = (w: number): FwrrGroup => ({
        currPos: w,
        currWeight: w,
        nextWeight: w,
        curr: new Tree(),
        init: new Tree(),
        next: new Tree(),
      });
      be.act = mk(be.totWact);
      be.bck = mk(be.totWbck);
      for (const s of be.srvs) {
        if (!s.curUsable) continue;
        fwrrQueueByWeight(s.backup ? be.bck.init : be.act.init, s);
      }
      break;
    }
    case 'lctree':
    case 'fstree':
      for (const s of be.srvs) {
        if (!s.curUsable) continue;
        s.lbTree = s.backup ? be.treeBck : be.treeAct;
        cbQueue(be, s, s.nextEweight);
      }
      break;
    case 'map':
      be.map = new Array<Srv | null>(Math.max(1, be.totWact, be.totWbck)).fill(null);
      recalcServerMap(be);
      break;
    case 'chtree':
      for (const s of be.srvs) {
        const tot = s.uweight * BE_WEIGHT_SCALE;
        for (let n = 0; n < tot; n++) s.nodes.push({ key: fullHash((s.puid * SRV_EWGHT_RANGE + n) >>> 0), srv: s });
        if (s.curUsable) chashQueueDequeue(be, s);
      }
      break;
  }
}

export function warmup(be: HaBackend, nowMs: number): void {
  const nowSec = Math.floor(nowMs / 1000);
  for (const s of be.srvs) {
    if (!s.starting) continue;
    // The warmup task runs every second after the server came up.
    while (s.starting && s.lastChange + s.warmupTicks + 1 <= nowSec) {
      s.warmupTicks++;
      recalcEweight(be, s, s.lastChange + s.warmupTicks);
      updateServerWeight(be, s);
    }
  }
}

/** `server_recalc_eweight`. */
export function recalcEweight(be: HaBackend, s: Srv, nowSec: number): void {
  if (s.starting && (nowSec < s.lastChange || nowSec >= s.lastChange + s.slowstart)) s.starting = false;
  let w: number;
  if (s.starting && be.dynamic) w = Math.floor((be.wdiv * (nowSec - s.lastChange) + s.slowstart) / s.slowstart);
  else w = be.wdiv;
  s.nextEweight = Math.floor((s.uweight * w + be.wmult - 1) / be.wmult);
}

export function statusChanged(s: Srv): boolean {
  return s.curEweight !== s.nextEweight || s.curUsable !== willbeUsable(s);
}

export function setStatusDown(be: HaBackend, s: Srv): void {
  if (!statusChanged(s)) return;
  if (willbeUsable(s)) return commit(s);
  if (be.lookup === 'map') {
    recountServers(be);
    updateBackendWeight(be);
    recalcServerMap(be);
    return commit(s);
  }
  if (s.curUsable) {
    if (be.lookup === 'rrtree') {
      const grp = grpOf(be, s);
      grp.nextWeight -= s.curEweight;
    }
    if (s.backup) {
      if (be.lookup === 'rrtree') be.totWbck = be.bck.nextWeight;
      else be.totWbck -= s.curEweight;
      be.srvBck--;
      if (s === be.fbck) {
        let i = s.index + 1;
        while (i < be.srvs.length && !(be.srvs[i].backup && willbeUsable(be.srvs[i]))) i++;
        be.fbck = i < be.srvs.length ? be.srvs[i] : null;
      }
    } else {
      if (be.lookup === 'rrtree') be.totWact = be.act.nextWeight;
      else be.totWact -= s.curEweight;
      be.srvAct--;
    }
    if (be.lookup === 'chtree') chashDequeueSrv(be, s);
    else {
      dequeue(s);
      s.lbTree = null;
    }
  }
  updateBackendWeight(be);
  commit(s);
}

export function setStatusUp(be: HaBackend, s: Srv): void {
  if (!statusChanged(s)) return;
  if (!willbeUsable(s)) return commit(s);
  if (be.lookup === 'map') {
    recountServers(be);
    updateBackendWeight(be);
    recalcServerMap(be);
    return commit(s);
  }
  if (!s.curUsable) {
    const grp = be.lookup === 'rrtree' ? grpOf(be, s) : null;
    if (grp) grp.nextWeight += s.nextEweight;
    if (s.backup) {
      if (grp) be.totWbck = grp.nextWeight;
      else be.totWbck += s.nextEweight;
      be.srvBck++;
      if (!be.allBackups) {
        if (!be.fbck) be.fbck = s;
        else if (be.fbck.index > s.index) be.fbck = s;
      }
    } else {
      if (grp) be.totWact = grp.nextWeight;
      else be.totWact += s.nextEweight;
      be.srvAct++;
    }
    if (grp) {
      fwrrGetSrv(be, s);
      s.npos = grp.currPos + cdiv(grp.nextWeight + grp.currWeight - grp.currPos, s.nextEweight);
      fwrrQueueSrv(be, s);
    } else if (be.lookup === 'chtree') {
      chashQueueDequeue(be, s);
    } else {
      s.lbTree = s.backup ? be.treeBck : be.treeAct;
      cbQueue(be, s, s.nextEweight);
    }
  }
  updateBackendWeight(be);
  commit(s);
}

/** `lbprm.update_server_eweight` of each algorithm (slowstart steps). */
export function updateServerWeight(be: HaBackend, s: Srv): void {
  if (!statusChanged(s)) return;
  const oldState = s.curUsable;
  const newState = willbeUsable(s);
  if (!oldState && !newState) return commit(s);
  if (!oldState && newState) return setStatusUp(be, s);
  if (oldState && !newState) return setStatusDown(be, s);
  switch (be.lookup) {
    case 'map':
      return commit(s); // update_server_eweight is NULL for map-based algorithms
    case 'rrtree': {
      const grp = grpOf(be, s);
      grp.nextWeight = grp.nextWeight - s.curEweight + s.nextEweight;
      be.totWact = be.act.nextWeight;
      be.totWbck = be.bck.nextWeight;
      if (s.lbTree === grp.init) {
        dequeue(s);
        fwrrQueueByWeight(grp.init, s);
      } else if (!s.lbTree) {
        dequeue(s);
        fwrrGetSrv(be, s);
        s.npos = grp.currPos + cdiv(grp.nextWeight + grp.currWeight - grp.currPos, s.nextEweight);
        fwrrQueueSrv(be, s);
      } else {
        fwrrGetSrv(be, s);
        if (s.nextEweight > 0) {
          const prevNext = s.npos;
          const step = cdiv(grp.nextWeight, s.nextEweight);
          s.npos = s.lpos + step;
          s.rweight = 0;
          if (s.npos > prevNext) s.npos = prevNext;
          if (s.npos < grp.currPos + 2) s.npos = grp.currPos + step;
        } else {
          s.npos = grp.currPos + grp.currWeight;
        }
        dequeue(s);
        fwrrQueueSrv(be, s);
      }
      break;
    }
    case 'lctree':
    case 'fstree':
      dequeue(s);
      if (s.backup) {
        be.totWbck += s.nextEweight - s.curEweight;
        s.lbTree = be.treeBck;
      } else {
        be.totWact += s.nextEweight - s.curEweight;
        s.lbTree = be.treeAct;
      }
      cbQueue(be, s, s.nextEweight);
      break;
    case 'chtree':
      chashQueueDequeue(be, s);
      if (s.backup) be.totWbck += s.nextEweight - s.curEweight;
      else be.totWact += s.nextEweight - s.curEweight;
      break;
  }
  updateBackendWeight(be);
  commit(s);
}

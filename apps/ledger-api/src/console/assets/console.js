// The console's progressive enhancement (docs/console.md): every page works without it; with it,
// tables sort, deadlines count down, live pages refresh when new findings appear, and the audit
// page verifies the signed checkpoint in the browser (Ed25519 via WebCrypto). No inline script:
// the Content-Security-Policy allows only this file.
(() => {
  'use strict';

  const lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
  const WORDS = {
    ja: {
      sortAsc: '昇順に並べ替え', sortDesc: '降順に並べ替え', updated: '新しい指摘を反映しました', liveStopped: '自動更新を停止しました（再読み込みしてください）',
      verified: '検証しました：チェックポイントの署名は固定した公開鍵で有効です', notVerified: '検証できません', noKey: '公開鍵を入力するか固定してください',
      badKey: '公開鍵の形式が正しくありません（名前+鍵ID+Base64）', keyIdMismatch: '公開鍵の鍵IDが鍵の内容と一致しません', noSignature: 'この鍵による署名がチェックポイントにありません',
      badSignature: '署名が一致しません：チェックポイントが改ざんされたか、別の鍵で署名されています', insecure: 'WebCrypto を使うには安全な接続（HTTPS 又は localhost）が必要です',
      unsupported: 'このブラウザは WebCrypto の Ed25519 に対応していません', treeSize: '木の大きさ', pinned: '公開鍵を固定しました（このブラウザに保存）', serverKeyDiffers: '注意：サーバが示す鍵は固定した鍵と異なります',
    },
    en: {
      sortAsc: 'Sort ascending', sortDesc: 'Sort descending', updated: 'New findings shown', liveStopped: 'Live updates stopped (reload the page)',
      verified: 'Verified: the checkpoint signature is valid under the pinned public key', notVerified: 'Not verified', noKey: 'Enter or pin a public key',
      badKey: 'The public key is malformed (name+keyID+base64)', keyIdMismatch: "The key ID does not match the key's bytes", noSignature: 'The checkpoint has no signature by this key',
      badSignature: 'The signature does not match: the checkpoint was altered or signed by another key', insecure: 'WebCrypto needs a secure context (HTTPS or localhost)',
      unsupported: 'This browser does not support Ed25519 in WebCrypto', treeSize: 'tree size', pinned: 'Public key pinned (kept in this browser)', serverKeyDiffers: 'Warning: the key the server shows differs from the pinned one',
    },
  }[lang];

  // --- Sortable tables: each column heading becomes a button; data-sort gives a cell's key. --------
  function cellKey(row, index) {
    const cell = row.cells[index];
    if (!cell) return '';
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  }

  function sortTable(table, index, numeric, direction) {
    const body = table.tBodies[0];
    if (!body) return;
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = cellKey(a, index);
      const y = cellKey(b, index);
      const nx = Number(x);
      const ny = Number(y);
      const cmp = numeric || (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) ? nx - ny : x.localeCompare(y, lang);
      return direction === 'ascending' ? cmp : -cmp;
    });
    for (const row of rows) body.appendChild(row);
  }

  function enhanceTables(root) {
    for (const table of root.querySelectorAll('table.sortable')) {
      if (table.dataset.enhanced) continue;
      table.dataset.enhanced = '1';
      const headings = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
      headings.forEach((th, index) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort';
        while (th.firstChild) button.appendChild(th.firstChild);
        button.setAttribute('aria-label', `${button.textContent.trim()}: ${WORDS.sortAsc}`);
        th.appendChild(button);
        button.addEventListener('click', () => {
          const direction = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
          for (const other of headings) other.removeAttribute('aria-sort');
          th.setAttribute('aria-sort', direction);
          button.setAttribute('aria-label', `${button.textContent.trim()}: ${direction === 'ascending' ? WORDS.sortDesc : WORDS.sortAsc}`);
          sortTable(table, index, th.dataset.kind === 'number', direction);
        });
      });
    }
  }

  // --- Countdowns to due times ---------------------------------------------------------------------
  function countdownText(dueMs, nowMs) {
    const late = nowMs > dueMs;
    let rest = Math.floor(Math.abs(dueMs - nowMs) / 60000);
    const days = Math.floor(rest / 1440);
    rest -= days * 1440;
    const hours = Math.floor(rest / 60);
    const minutes = rest - hours * 60;
    if (lang === 'ja') {
      const span = days > 0 ? `${days}日${hours}時間` : hours > 0 ? `${hours}時間${minutes}分` : `${minutes}分`;
      return late ? `${span}超過` : `あと${span}`;
    }
    const span = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
    return late ? `${span} overdue` : `${span} left`;
  }

  function tickCountdowns() {
    const now = Date.now();
    for (const el of document.querySelectorAll('[data-countdown]')) {
      const due = Date.parse(el.dataset.countdown);
      el.textContent = countdownText(due, now);
      el.classList.toggle('countdown-late', now > due);
    }
  }

  // --- Live pages: poll a version tag with If-None-Match; on a new tag, fetch the page again. ------
  function startLive(main) {
    const url = main.dataset.liveUrl;
    const interval = Number(main.dataset.liveInterval || 5000);
    const status = main.querySelector('.live-status');
    let stopped = false;
    const poll = async () => {
      if (stopped || document.hidden) return;
      const region = document.querySelector('[data-live-region]');
      if (!region) return;
      const tag = region.dataset.liveTag;
      try {
        const answer = await fetch(url, { headers: { 'If-None-Match': `"${tag}"`, Accept: 'application/json' }, credentials: 'same-origin', redirect: 'manual' });
        if (answer.status === 304) return;
        if (!answer.ok) {
          stopped = true;
          if (status) status.textContent = WORDS.liveStopped;
          return;
        }
        const next = await answer.json();
        if (next.tag === tag) return;
        const page = await fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin', redirect: 'manual' });
        if (!page.ok) return;
        const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
        const fresh = doc.querySelector('[data-live-region]');
        if (!fresh) return;
        const imported = document.importNode(fresh, true);
        region.replaceWith(imported);
        enhanceTables(imported);
        tickCountdowns();
        if (status) status.textContent = `${WORDS.updated} (${new Date().toLocaleTimeString(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo' })})`;
      } catch {
        // The network or the service is away for a moment: try again at the next tick.
      }
    };
    window.setInterval(poll, interval);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) void poll();
    });
  }

  // --- Checkpoint verification (C2SP signed note, Ed25519) -----------------------------------------
  const PIN_KEY = 'ledger.console.pinnedLogKey';

  function base64Bytes(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** `<name>+<hex key ID>+<base64(0x01 ‖ 32-byte Ed25519 public key)>`, the note verifier key format. */
  function parseVerifierKey(text) {
    const first = text.indexOf('+');
    const second = text.indexOf('+', first + 1);
    if (first <= 0 || second <= first) return null;
    const name = text.slice(0, first);
    const keyId = text.slice(first + 1, second);
    let bytes;
    try {
      bytes = base64Bytes(text.slice(second + 1));
    } catch {
      return null;
    }
    if (!/^[0-9a-f]{8}$/.test(keyId) || bytes.length !== 33 || bytes[0] !== 1) return null;
    return { name, keyId, bytes };
  }

  async function verifyNote(note, keyText) {
    if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) return { ok: false, why: WORDS.insecure };
    const key = parseVerifierKey(keyText);
    if (!key) return { ok: false, why: WORDS.badKey };
    const encoder = new TextEncoder();
    const idInput = new Uint8Array([...encoder.encode(`${key.name}\n`), ...key.bytes]);
    const computedId = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', idInput)).slice(0, 4));
    if (computedId !== key.keyId) return { ok: false, why: WORDS.keyIdMismatch };
    const split = note.indexOf('\n\n');
    if (split < 0) return { ok: false, why: WORDS.noSignature };
    const text = note.slice(0, split + 1);
    const lines = note.slice(split + 2).split('\n').filter((l) => l.startsWith('\u2014 '));
    let signature = null;
    for (const line of lines) {
      const rest = line.slice(2);
      const space = rest.lastIndexOf(' ');
      if (rest.slice(0, space) !== key.name) continue;
      let sig;
      try {
        sig = base64Bytes(rest.slice(space + 1));
      } catch {
        continue;
      }
      if (sig.length === 68 && hex(sig.slice(0, 4)) === key.keyId) signature = sig.slice(4);
    }
    if (!signature) return { ok: false, why: WORDS.noSignature };
    let publicKey;
    try {
      publicKey = await crypto.subtle.importKey('raw', key.bytes.slice(1), { name: 'Ed25519' }, false, ['verify']);
    } catch {
      return { ok: false, why: WORDS.unsupported };
    }
    const valid = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, encoder.encode(text));
    if (!valid) return { ok: false, why: WORDS.badSignature };
    const [origin, size, root] = text.split('\n');
    return { ok: true, origin, size, root, keyId: key.keyId };
  }

  function setupVerify(container) {
    const input = container.querySelector('#pinned-key');
    const result = container.querySelector('#verify-result');
    const serverKey = container.dataset.serverKey || '';
    let stored;
    try {
      stored = window.localStorage.getItem(PIN_KEY);
    } catch {
      stored = null;
    }
    if (stored) input.value = stored;
    if (stored && stored !== serverKey) {
      result.textContent = WORDS.serverKeyDiffers;
      result.className = 'verify-result verify-warn';
    }
    const pin = (value) => {
      try {
        window.localStorage.setItem(PIN_KEY, value);
      } catch {
        // private browsing: the key stays in the field only
      }
    };
    container.querySelector('[data-action="pin-server-key"]').addEventListener('click', () => {
      input.value = serverKey;
      pin(serverKey);
      result.textContent = WORDS.pinned;
      result.className = 'verify-result';
    });
    container.querySelector('[data-action="verify"]').addEventListener('click', async () => {
      const keyText = input.value.trim();
      if (!keyText) {
        result.textContent = WORDS.noKey;
        result.className = 'verify-result verify-bad';
        return;
      }
      pin(keyText);
      const noteElement = document.getElementById('checkpoint-note');
      const outcome = await verifyNote(noteElement ? noteElement.textContent : '', keyText);
      result.className = `verify-result ${outcome.ok ? 'verify-ok' : 'verify-bad'}`;
      result.dataset.outcome = outcome.ok ? 'verified' : 'failed';
      result.textContent = outcome.ok
        ? `\u2714 ${WORDS.verified} (${outcome.keyId}; ${WORDS.treeSize} ${outcome.size}; ${outcome.root})`
        : `\u2716 ${WORDS.notVerified}: ${outcome.why}`;
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    enhanceTables(document);
    tickCountdowns();
    window.setInterval(tickCountdowns, 30000);
    const main = document.querySelector('main[data-live-url]');
    if (main) startLive(main);
    const verify = document.querySelector('[data-verify]');
    if (verify) setupVerify(verify);
    for (const button of document.querySelectorAll('[data-action="print"]')) button.addEventListener('click', () => window.print());
  });
})();

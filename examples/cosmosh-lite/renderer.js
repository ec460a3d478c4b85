'use strict';
// The page: SSH servers, folders and tags through the backend proxy, audit trail, locale,
// About box, and tabs driven by app:menu-action. Talks only to window.electron.
(() => {
  const api = window.electron;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const COLORS = { slate: '#7b8794', red: '#e06c75', orange: '#d19a66', amber: '#e5c07b', green: '#98c379', teal: '#56b6c2', blue: '#61afef', indigo: '#7f8cff', violet: '#c678dd', pink: '#ff7ab2' };
  const STRINGS = {
    en: { ok: 'backend: connected', down: 'backend: unavailable', none: '(no folder)' },
    'zh-CN': { ok: '后端：已连接', down: '后端：不可用', none: '（无文件夹）' },
  };
  let locale = 'en';
  let folders = [];
  let tabs = [{ id: 1, title: 'Servers' }];
  let activeTab = 1;
  const t = (k) => STRINGS[locale][k];

  /** Unwrap Api...Response | ApiErrorResponse: data on success, an Error carrying the backend message otherwise. */
  function unwrap(res) {
    if (res && res.success === true) return res.data;
    throw new Error(res && res.message ? `${res.code}: ${res.message}` : 'backend error');
  }

  function renderTabs() {
    $('tabs').replaceChildren(...tabs.map((tab) => {
      const b = el('span', `tab${tab.id === activeTab ? ' active' : ''}`, tab.title);
      b.addEventListener('click', () => { activeTab = tab.id; renderTabs(); });
      return b;
    }));
  }

  async function loadFolders() {
    folders = unwrap(await api.backendSshListFolders()).items;
    $('folders').replaceChildren(...folders.map((f) => {
      const li = el('li');
      const dot = el('span', 'dot');
      dot.style.background = COLORS[f.colorKey] ?? COLORS.slate;
      li.append(dot, ` ${f.name}`);
      return li;
    }));
    $('s-folder').replaceChildren(el('option', '', t('none')), ...folders.map((f) => {
      const o = el('option', '', f.name);
      o.value = f.id;
      return o;
    }));
    $('s-folder').options[0].value = '';
  }

  async function loadTags() {
    const tags = unwrap(await api.backendSshListTags()).items;
    $('tags').replaceChildren(...tags.map((tag) => el('span', 'chip', tag.name)));
  }

  async function loadServers() {
    const servers = unwrap(await api.backendSshListServers()).items;
    const folderName = (id) => folders.find((f) => f.id === id)?.name ?? '';
    $('servers').replaceChildren(...servers.map((s) => {
      const tr = el('tr');
      const dot = el('span', 'dot');
      dot.style.background = COLORS[s.colorKey] ?? COLORS.slate;
      const del = el('button', 'link', '✕');
      del.title = `Delete ${s.name}`;
      del.addEventListener('click', async () => {
        const r = await api.backendSshDeleteServer(s.id);
        if (r.success) refresh();
      });
      const cells = [dot, s.name, `${s.host}:${s.port}`, s.username, folderName(s.folderId), del];
      for (const c of cells) {
        const td = el('td');
        td.append(c);
        tr.append(td);
      }
      return tr;
    }));
  }

  async function loadAudit() {
    const { items } = unwrap(await api.backendAuditListEvents({ page: 1, pageSize: 8 }));
    $('audit').replaceChildren(...items.map((e) => el('li', '', `${new Date(e.createdAt).toLocaleTimeString()}  ${e.summary}`)));
  }

  async function ping() {
    const res = await api.backendTestPing();
    const s = $('backend-status');
    s.textContent = res.success ? t('ok') : `${t('down')} (${res.code})`;
    s.className = res.success ? 'ok' : 'bad';
  }

  async function refresh() {
    try {
      await loadFolders();
      await Promise.all([loadServers(), loadTags(), loadAudit()]);
    } catch (err) {
      $('form-error').textContent = err.message;
    }
  }

  $('server-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const payload = {
      name: $('s-name').value.trim(),
      host: $('s-host').value.trim(),
      port: Number($('s-port').value) || 22,
      username: $('s-user').value.trim(),
      authType: 'password',
      colorKey: $('s-color').value,
    };
    if ($('s-pass').value) payload.password = $('s-pass').value;
    if ($('s-folder').value) payload.folderId = $('s-folder').value;
    const res = await api.backendSshCreateServer(payload);
    if (!res.success) {
      $('form-error').textContent = res.message;
      return;
    }
    $('form-error').textContent = '';
    e.target.reset();
    $('s-port').value = '22';
    refresh();
  });

  $('tag-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('tag-name').value.trim();
    if (!name) return;
    const res = await api.backendSshCreateTag({ name });
    $('form-error').textContent = res.success ? '' : res.message;
    $('tag-name').value = '';
    refresh();
  });

  $('locale').addEventListener('change', async (e) => {
    locale = await api.setLocale(e.target.value);
    $('locale').value = locale;
    await loadFolders();
    ping();
  });

  async function showAbout() {
    const info = await api.getAppVersionInfo();
    $('about-info').replaceChildren(...Object.entries(info).flatMap(([k, v]) => [el('dt', '', k), el('dd', '', String(v))]));
    $('about').showModal();
  }
  $('about-btn').addEventListener('click', showAbout);
  $('docs-btn').addEventListener('click', () => api.openExternalUrl('https://cosmosh.example.com/docs'));
  $('data-btn').addEventListener('click', () => api.showInFileManager());
  $('export-btn').addEventListener('click', async () => {
    const dir = await api.getDownloadsPath();
    const res = await api.showSaveFileDialog(`${dir}/cosmosh-servers.json`);
    $('form-error').textContent = res.canceled ? '' : `Export target: ${res.filePath}`;
  });

  api.onAppMenuAction((action) => {
    if (action === 'open-about') showAbout();
    else if (action === 'new-tab') {
      const id = Math.max(0, ...tabs.map((x) => x.id)) + 1;
      tabs.push({ id, title: `Tab ${id}` });
      activeTab = id;
    } else if (action === 'close-current-tab' && tabs.length > 1) {
      tabs = tabs.filter((x) => x.id !== activeTab);
      activeTab = tabs[tabs.length - 1].id;
    } else if (action === 'close-right-tabs') {
      tabs = tabs.slice(0, tabs.findIndex((x) => x.id === activeTab) + 1);
    }
    renderTabs();
  });

  async function start() {
    renderTabs();
    locale = await api.getLocale();
    $('locale').value = locale;
    $('user').textContent = await api.getRuntimeUserName();
    await ping();
    await refresh();
  }
  start();
})();

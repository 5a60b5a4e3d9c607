// Alur in the browser: a single page on the public API. Routes live after the `#`.
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, clearToken, getToken, whenUnauthorized } from './api.js';
import {
  APPLICATION_READERS, DEFINITION_READERS, holds, Loading, OFFICER_ROLES, REPORT_READERS,
} from './common.jsx';
import { I18n, LANGS, translator, useT } from './i18n.js';
import ApplicationPage from './pages/ApplicationPage.jsx';
import Applications from './pages/Applications.jsx';
import AuditOverview from './pages/AuditOverview.jsx';
import AuditReport from './pages/AuditReport.jsx';
import Definitions from './pages/Definitions.jsx';
import Inbox from './pages/Inbox.jsx';
import MonthlyReport from './pages/MonthlyReport.jsx';
import NewApplication from './pages/NewApplication.jsx';
import SignIn from './pages/SignIn.jsx';
import TaskPage from './pages/TaskPage.jsx';

const LANG_KEY = 'alur.lang';

function useHashPath() {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const changed = () => setPath(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return path;
}

const NAV = [
  { path: '/inbox', label: 'navInbox', roles: OFFICER_ROLES },
  { path: '/applications', label: 'navApplications', roles: APPLICATION_READERS },
  { path: '/new', label: 'navNew', roles: ['account_officer'] },
  { path: '/audit', label: 'navAudit', roles: ['auditor'] },
  { path: '/definitions', label: 'navDefinitions', roles: DEFINITION_READERS },
  { path: '/reports', label: 'navReport', roles: REPORT_READERS },
];

function route(path, me) {
  const parts = path.split('?')[0].split('/').filter(Boolean);
  const [first, second, third, fourth] = parts;
  if (first === 'inbox') return <Inbox me={me} />;
  if (first === 'tasks' && second) return <TaskPage me={me} taskId={Number(second)} key={second} />;
  if (first === 'applications' && second && third === 'report') return <AuditReport me={me} applicationId={Number(second)} />;
  if (first === 'applications' && second) return <ApplicationPage me={me} applicationId={Number(second)} key={second} />;
  if (first === 'applications') return <Applications me={me} />;
  if (first === 'new') return <NewApplication me={me} />;
  if (first === 'audit') return <AuditOverview me={me} />;
  if (first === 'definitions') return <Definitions me={me} selectedKey={second} version={third} view={fourth} />;
  if (first === 'reports') return <MonthlyReport me={me} />;
  return null;
}

function Home({ me }) {
  const first = NAV.find((item) => holds(me, item.roles));
  useEffect(() => { if (first) window.location.replace(`#${first.path}`); }, [first]);
  const t = useT();
  return first ? <Loading /> : <p className="alert">{t('noRoleHome')}</p>;
}

function Shell({ me, lang, setLang, onSignOut, path }) {
  const t = translator(lang);
  const items = NAV.filter((item) => holds(me, item.roles));
  const page = route(path, me) ?? <Home me={me} />;
  return (
    <>
      <a className="skip" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header className="top">
        <a className="brand" href="#/">{t('appName')}<span className="tagline">{t('tagline')}</span></a>
        <nav aria-label={t('mainNav')}>
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <a href={`#${item.path}`} aria-current={path.startsWith(item.path) ? 'page' : undefined}>{t(item.label)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <LanguageSwitch lang={lang} setLang={setLang} />
          <span className="who">
            {t('signedInAs')} <strong data-testid="user-name">{me.name}</strong>
            <span className="roles"> ({me.roles.map((role) => t.word('role', role)).join(', ')})</span>
          </span>
          <button type="button" onClick={onSignOut}>{t('signOut')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{page}</main>
    </>
  );
}

function LanguageSwitch({ lang, setLang }) {
  const t = translator(lang);
  return (
    <label className="lang">
      <span className="visually-hidden">{t('language')}</span>
      <select value={lang} onChange={(event) => setLang(event.target.value)} data-testid="language">
        {LANGS.map((code) => <option key={code} value={code}>{code === 'id' ? t('indonesian') : t('english')}</option>)}
      </select>
    </label>
  );
}

function App() {
  const [lang, setLangState] = useState(() => (LANGS.includes(window.localStorage.getItem(LANG_KEY))
    ? window.localStorage.getItem(LANG_KEY) : 'id'));
  const [me, setMe] = useState(null);
  const [checking, setChecking] = useState(Boolean(getToken()));
  const path = useHashPath();
  const t = useMemo(() => translator(lang), [lang]);

  const setLang = (code) => { window.localStorage.setItem(LANG_KEY, code); setLangState(code); };
  const signOut = () => { clearToken(); setMe(null); window.location.hash = '#/'; };

  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  useEffect(() => whenUnauthorized(() => { clearToken(); setMe(null); }), []);
  useEffect(() => {
    if (!getToken()) return;
    api('me').then(setMe, () => clearToken()).finally(() => setChecking(false));
  }, []);

  let body;
  if (checking) body = <Loading />;
  else if (!me) body = <SignIn onSignedIn={setMe} lang={lang} setLang={setLang} LanguageSwitch={LanguageSwitch} />;
  else body = <Shell me={me} lang={lang} setLang={setLang} onSignOut={signOut} path={path} />;
  return <I18n.Provider value={t}>{body}</I18n.Provider>;
}

createRoot(document.getElementById('root')).render(<StrictMode><App /></StrictMode>);

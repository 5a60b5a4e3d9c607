// Sign-in with the user's bearer token: checked against GET /api/me, then kept in this tab only.
import { useState } from 'react';
import { api, setToken } from '../api.js';
import { PageTitle } from '../common.jsx';
import { useT } from '../i18n.js';

export default function SignIn({ onSignedIn, lang, setLang, LanguageSwitch }) {
  const t = useT();
  const [token, setTokenText] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const candidate = token.trim();
    try {
      const me = await api('me', { token: candidate });
      setToken(candidate);
      onSignedIn(me);
    } catch (failure) {
      setError(failure.status === 401 ? t('signInFailed') : failure.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <div className="sign-in-lang"><LanguageSwitch lang={lang} setLang={setLang} /></div>
      <form className="card" onSubmit={submit} noValidate>
        <PageTitle>{t('signInTitle')}</PageTitle>
        <p className="muted">{t('tagline')}</p>
        <label htmlFor="token">{t('tokenLabel')}</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token}
          aria-describedby="token-help token-error" aria-invalid={error ? 'true' : undefined}
          onChange={(event) => setTokenText(event.target.value)} />
        <p id="token-help" className="help">{t('tokenHelp')}</p>
        <p id="token-error" className="field-error" role="alert">{error}</p>
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </main>
  );
}

// A real OpenID Connect provider (node-oidc-provider) for the sign-in tests,
// tests/test_oidc_login.py. It stands in for a municipality's Entra ID: one confidential
// client, the authorization code flow with PKCE, RS256-signed ID tokens that carry the
// organisation and role claims (as Entra puts "groups" and "roles" in the ID token), and
// the development login form, where any password is accepted for the accounts below.
//
// Configured from the environment:
//   PORT           the port to listen on (127.0.0.1)
//   CLIENT_ID, CLIENT_SECRET, REDIRECT_URI   the one client, Koersmonitor
//   ACCOUNTS       JSON: {"login": {claims...}}; the login is the account's `sub`
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, async claims() { return { ...accounts[id], sub: id }; } };
  },
  claims: {
    openid: ['sub', 'cbs_code', 'roles', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  // Scope claims in the ID token too, as Entra does with groups and roles.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  // Koersmonitor is a first-party client: no consent page, as with an admin-consented
  // Entra application.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${issuer}\n`);
});

// A small, real OpenID Connect provider for the tests (panva/oidc-provider, certified).
// Usage: node provider.mjs PORT REDIRECT_URI [REDIRECT_URI ...]
// Any login name signs in (development interactions); its claims are derived from it.
import Provider from 'oidc-provider';

const [port, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'bunko',
    client_secret: 'bunko-test-client-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: `sub-${id}`, name: `${id} (directory)`, preferred_username: id, email: `${id}@city.example` };
      },
    };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['bunko-test-provider-cookie-key'] },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc provider ready at ${issuer}`));

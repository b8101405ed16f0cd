/** Where sign-in (issue #7) leaves the OAuth access token for this tab. */
export const TOKEN_STORAGE_KEY = 'yiyun.token';

export function readAccessToken(storage: Storage | undefined): string | undefined {
  const token = storage?.getItem(TOKEN_STORAGE_KEY)?.trim();
  return token ? token : undefined;
}

/**
 * The Authorization header for a request to `url`, or none. The token goes only to the app's own
 * origin: the DICOMweb base comes from the page URL (`?dicomweb=`), and a crafted link must not be
 * able to send a clinician's bearer token to another host.
 */
export function authorizationFor(
  url: string,
  token: string | undefined,
  appOrigin: string,
): Record<string, string> {
  if (!token) return {};
  let origin: string;
  try {
    origin = new URL(url, appOrigin).origin;
  } catch {
    return {};
  }
  return origin === appOrigin ? { Authorization: `Bearer ${token}` } : {};
}

// The JWT lives in sessionStorage: it survives a reload of the tab (a retry must not
// log staff out) but not the browser session.
const KEY = "cv.token";

export const getToken = (): string | null => sessionStorage.getItem(KEY);
export const setToken = (token: string | null) =>
  token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY);

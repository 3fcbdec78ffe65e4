/** What every admin resolver sees: the caller (null when anonymous) and the request's id for error reports. */
import type { SessionUser } from '../../shared/types.ts';

export interface AdminContext {
  user: SessionUser | null;
  /** Quoted in masked errors and logged beside the real error, so a report can be traced. */
  requestId: string;
}

/** The context once the guard has let a resolver run: an admin is calling. */
export interface AdminCallContext extends AdminContext {
  user: SessionUser & { role: 'admin' };
}

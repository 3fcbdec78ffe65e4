/** What every admin resolver sees: the caller, null when anonymous. */
import type { SessionUser } from '../../shared/types.ts';

export interface AdminContext {
  user: SessionUser | null;
}

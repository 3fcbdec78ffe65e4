/**
 * The LLM_* settings' model as the catalogue first names it (models/model-catalogue.ts seeds it),
 * and as session.initialize names it while the person may use no catalogue model: the demo model
 * is labelled as such.
 */
import type { ModelInfo } from '../../shared/servers.ts';
import type { Config } from '../config.ts';
import { DEFAULT_MODEL } from './endpoint.ts';

export function modelInfo(llm: Config['llm']): ModelInfo {
  if (llm.provider === 'demo') return { id: 'countersign-demo', label: 'Offline demo model', offlineDemo: true };
  const id = llm.model ?? DEFAULT_MODEL;
  return { id, label: id, offlineDemo: false };
}

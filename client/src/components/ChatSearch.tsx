/** The sidebar's search box: chat titles and message text; Escape clears it. */
import { search, searching, setSearchQuery } from '../state/search.ts';
import { Icon } from './Icon.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ChatSearch() {
  return (
    <label class="search">
      <Icon name="search" size={16} />
      <input
        type="search"
        class="search-input"
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        // Only while the results are on screen: a reference to no element is an invalid ARIA value.
        aria-controls={searching() ? 'search-results' : undefined}
        value={search.query}
        onInput={(e) => setSearchQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && search.query) {
            e.preventDefault();
            setSearchQuery('');
          }
        }}
      />
    </label>
  );
}

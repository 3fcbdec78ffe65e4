/** A chat as clients see it: plain data with ISO dates. */
export interface ChatDto {
  id: string;
  threadId: string;
  title: string;
  /** Catalogue server ids whose tools the model sees in this chat. */
  enabledServers: string[];
  /** Tools (unique names) the owner chose to always allow in this chat. */
  alwaysAllowed: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ChatPageDto {
  items: ChatDto[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

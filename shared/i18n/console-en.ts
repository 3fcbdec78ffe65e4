/** The admin console's messages in English (the `console` area of the catalogue in en.ts). */
export const consoleEn = {
  nav: {
    catalogue: 'Catalogue',
  },
};

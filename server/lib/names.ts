/**
 * The provider-name grammar, shared by the key builder (which refuses anything else) and the input
 * schemas (which say so in words). A leaf: the client's forms import it too.
 */
export const PROVIDER_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;

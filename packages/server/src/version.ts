/** This node's release (GET /healthz, metrics). */
export const VERSION = '0.1.0';

/** A --nodes module that ends the process while it loads (for the fault suite). */
process.exit(Number(process.env.EF_EXIT_CODE ?? 0));
export const nodes = [];

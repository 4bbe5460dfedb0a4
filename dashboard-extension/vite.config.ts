import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// A multi-page app: each entry HTML is one app (staff console, the shopper's customer
// area) over the shared layer in src/shared/. The shop serves staff.html at
// /dashboard/customer-value/ and account.html at /account/customer-value/; both load their
// assets from /dashboard/customer-value/assets/ (saleor_customer_value/dashboard/views.py).
export default defineConfig({
  base: "/dashboard/customer-value/",
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, "../saleor_customer_value/static/customer_value/console"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        staff: resolve(import.meta.dirname, "staff.html"),
        account: resolve(import.meta.dirname, "account.html"),
      },
    },
  },
  server: {
    proxy: { "/graphql": "http://127.0.0.1:8000", "/customer-value": "http://127.0.0.1:8000" },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
} as any);

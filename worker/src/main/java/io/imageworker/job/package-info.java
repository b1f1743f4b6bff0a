/**
 * The job contract: what intake, planning, the pipeline and the tasks all speak of a job, and no
 * more. Why a job is refused ({@link io.imageworker.job.Rejection}, dead-lettered with its code), one
 * planned item ({@link io.imageworker.job.PlannedInput}) and a task's coded item failure
 * ({@link io.imageworker.job.ItemFailure}). Imports only {@code events} and {@code storage}'s
 * location type, so every stage may depend on it and it on none of them.
 */
package io.imageworker.job;
